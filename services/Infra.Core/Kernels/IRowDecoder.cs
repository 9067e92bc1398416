using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

/// <summary>
/// Turns stored elements of one dtype into fp32 in registers. Kernels are generic over a struct implementing it,
/// so the JIT compiles one specialised loop per dtype with the decode inlined.
/// </summary>
/// <typeparam name="T">The stored element type.</typeparam>
internal unsafe interface IRowDecoder<T>
    where T : unmanaged
{
    /// <summary>16 consecutive elements as fp32 (Vector512 path).</summary>
    static abstract Vector512<float> Load16(T* p);

    /// <summary>8 consecutive elements as fp32 (Vector256 path).</summary>
    static abstract Vector256<float> Load8(T* p);

    /// <summary>One element as fp32.</summary>
    static abstract float Load1(T* p);
}
