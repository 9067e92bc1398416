using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

/// <summary>fp32 rows: loads as they are.</summary>
internal readonly unsafe struct Float32Decoder : IRowDecoder<float>
{
    public static Vector512<float> Load16(float* p) => Vector512.Load(p);

    public static Vector256<float> Load8(float* p) => Vector256.Load(p);

    public static float Load1(float* p) => *p;
}
