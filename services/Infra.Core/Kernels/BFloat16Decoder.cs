using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Infra.Core.Kernels;

/// <summary>bfloat16 rows (<c>ushort</c> bits): zero-extend to 32 bits and shift into the high half (exact).</summary>
internal readonly unsafe struct BFloat16Decoder : IRowDecoder<ushort>
{
    // vpmovzxwd with a memory operand, then one shift: the decode costs two instructions per 16 elements.
    public static Vector512<float> Load16(ushort* p) =>
        Vector512.ShiftLeft(Avx512F.ConvertToVector512UInt32(Vector256.Load(p)), 16).AsSingle();

    public static Vector256<float> Load8(ushort* p) =>
        Vector256.ShiftLeft(Avx2.ConvertToVector256Int32(p).AsUInt32(), 16).AsSingle();

    public static float Load1(ushort* p) => BitConverter.UInt32BitsToSingle((uint)*p << 16);
}
