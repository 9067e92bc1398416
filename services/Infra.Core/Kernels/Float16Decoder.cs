using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Infra.Core.Kernels;

/// <summary>
/// IEEE fp16 rows (<see cref="Half"/> bits) decoded with integer ops, since .NET 10 exposes no F16C intrinsics.
/// Exact for every bit pattern: normals and subnormals by moving the exponent/mantissa bits into fp32 position and
/// multiplying by 2^112 (a subnormal half becomes a normal fp32, exactly); infinities and NaNs (payload kept) by
/// forcing the fp32 exponent to all ones; the sign is copied.
/// </summary>
internal readonly unsafe struct Float16Decoder : IRowDecoder<Half>
{
    private const uint ExponentMask = 0x7C00;
    private const uint Rebias = 0x77800000; // 2^112 as fp32 bits: 2^(127 - 15)

    public static Vector512<float> Load16(Half* p)
    {
        var h = Avx512F.ConvertToVector512UInt32(Vector256.Load((ushort*)p));
        var magnitude = h & Vector512.Create(0x7FFFu);
        var shifted = Vector512.ShiftLeft(magnitude, 13);
        var finite = (shifted.AsSingle() * Vector512.Create(BitConverter.UInt32BitsToSingle(Rebias))).AsUInt32();
        var infNan = shifted | Vector512.Create(0x7F800000u);
        var special = Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(ExponentMask));
        var sign = Vector512.ShiftLeft(h & Vector512.Create(0x8000u), 16);
        return (Vector512.ConditionalSelect(special, infNan, finite) | sign).AsSingle();
    }

    public static Vector256<float> Load8(Half* p)
    {
        var h = Avx2.ConvertToVector256Int32((ushort*)p).AsUInt32();
        var magnitude = h & Vector256.Create(0x7FFFu);
        var shifted = Vector256.ShiftLeft(magnitude, 13);
        var finite = (shifted.AsSingle() * Vector256.Create(BitConverter.UInt32BitsToSingle(Rebias))).AsUInt32();
        var infNan = shifted | Vector256.Create(0x7F800000u);
        var special = Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(ExponentMask));
        var sign = Vector256.ShiftLeft(h & Vector256.Create(0x8000u), 16);
        return (Vector256.ConditionalSelect(special, infNan, finite) | sign).AsSingle();
    }

    public static float Load1(Half* p) => (float)*p;
}
