using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Infra.Core.Kernels;

/// <summary>int8 rows: sign-extend and convert (exact); the per-row scale is applied to the finished score.</summary>
internal readonly unsafe struct Int8Decoder : IRowDecoder<sbyte>
{
    public static Vector512<float> Load16(sbyte* p) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(p)));

    public static Vector256<float> Load8(sbyte* p) =>
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p));

    public static float Load1(sbyte* p) => *p;
}
