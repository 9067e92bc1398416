using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Infra.Bench.Scoring;

/// <summary>The machine's own ceilings, measured in the same run: streaming-read bandwidth and register-only FMA peak.</summary>
internal static unsafe class MachineLimits
{
    /// <summary>Widest accelerated vector on this CPU (the Vector512 loops need AVX-512; Zen 3 hosts lack it).</summary>
    public static string VectorWidth => Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256";

    /// <summary>GB/s reading <paramref name="buffer"/> (>> L3) once, split over <paramref name="threads"/>.</summary>
    public static double StreamingReadGBs(NativeBuffer buffer, int threads, int reps)
    {
        var floats = buffer.Bytes / sizeof(float);
        var per = floats / threads / 64 * 64;
        var p = (nint)buffer.Pointer;
        var sink = new float[threads];
        var seconds = Timing.MedianSeconds(() => Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            t => sink[t] = Sum((float*)p + t * per, per)), reps);
        return per * threads * sizeof(float) / seconds / 1e9;
    }

    /// <summary>GFLOP/s of independent FMA chains in registers, on <paramref name="threads"/> threads.</summary>
    public static double FmaPeakGFlops(int threads, int reps)
    {
        const long iterations = 50_000_000;
        var sink = new float[threads];
        var seconds = Timing.MedianSeconds(() => Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            t => sink[t] = Vector512.IsHardwareAccelerated ? Fma512(iterations) : Fma256(iterations)), reps);
        var lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        return iterations * 12 * lanes * 2.0 * threads / seconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* p, long count)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a = default, b = default, c = default, d = default;
            for (long i = 0; i < count; i += 64)
            {
                a += Vector512.Load(p + i);
                b += Vector512.Load(p + i + 16);
                c += Vector512.Load(p + i + 32);
                d += Vector512.Load(p + i + 48);
            }
            return Vector512.Sum(a + b + c + d);
        }
        Vector256<float> e = default, f = default, g = default, h = default;
        for (long i = 0; i < count; i += 32)
        {
            e += Vector256.Load(p + i);
            f += Vector256.Load(p + i + 8);
            g += Vector256.Load(p + i + 16);
            h += Vector256.Load(p + i + 24);
        }
        return Vector256.Sum(e + f + g + h);
    }

    // 12 independent chains cover FMA latency (4) x pipes (2) with room to spare.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Fma512(long iterations)
    {
        var x = Vector512.Create(0.999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Fma256(long iterations)
    {
        var x = Vector256.Create(0.999f);
        var y = Vector256.Create(1e-7f);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
