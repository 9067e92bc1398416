using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

/// <summary>
/// The single-query (M = 1) kernel: <c>scores[i] = rows[i] · query</c>. It is memory-bound: fp32 rows are walked four
/// at once (one query load serves four rows) with two accumulators per row to hide FMA latency; decoded rows (bf16,
/// fp16, int8) one at a time with four accumulators, so each core reads one sequential stream.
/// </summary>
internal static unsafe class RowDotKernel
{
    /// <summary>Scores <paramref name="count"/> consecutive rows of length <paramref name="d"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TDecoder, T>(T* rows, long count, int d, float* query, float* scores, KernelPath path)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        long i = 0;
        // Decoded rows (bf16, fp16, int8 widened) go one at a time: one sequential stream per core, as the streaming
        // read. Four rows at once cost each row's decode in the out-of-order window, so fewer cache lines were in
        // flight and bf16 stayed at ~0.7 of the streaming read on Zen 4 (one row at a time: ~1.0). fp32 rows, with no
        // decode, read fastest four at a time (one query load for four rows).
        if (typeof(T) != typeof(float) && path == KernelPath.Vector512)
        {
            for (; i < count; i++)
                scores[i] = Dot1x512<TDecoder, T>(rows + i * d, d, query);
        }
        else if (typeof(T) != typeof(float) && path == KernelPath.Vector256)
        {
            for (; i < count; i++)
                scores[i] = Dot1x256<TDecoder, T>(rows + i * d, d, query);
        }
        else if (path == KernelPath.Vector512)
        {
            for (; i + 4 <= count; i += 4)
                Dot4x512<TDecoder, T>(rows + i * d, d, query, scores + i);
        }
        else if (path == KernelPath.Vector256)
        {
            for (; i + 4 <= count; i += 4)
                Dot4x256<TDecoder, T>(rows + i * d, d, query, scores + i);
        }
        for (; i < count; i++)
            scores[i] = DotScalar<TDecoder, T>(rows + i * d, d, query);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x512<TDecoder, T>(T* r0, int d, float* q, float* scores)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        T* r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
        Vector512<float> a0 = default, b0 = default, a1 = default, b1 = default;
        Vector512<float> a2 = default, b2 = default, a3 = default, b3 = default;
        var k = 0;
        for (; k <= d - 32; k += 32)
        {
            var q0 = Vector512.Load(q + k);
            var q1 = Vector512.Load(q + k + 16);
            a0 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k), q0, a0);
            b0 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k + 16), q1, b0);
            a1 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r1 + k), q0, a1);
            b1 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r1 + k + 16), q1, b1);
            a2 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r2 + k), q0, a2);
            b2 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r2 + k + 16), q1, b2);
            a3 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r3 + k), q0, a3);
            b3 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r3 + k + 16), q1, b3);
        }
        if (k <= d - 16)
        {
            var q0 = Vector512.Load(q + k);
            a0 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k), q0, a0);
            a1 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r1 + k), q0, a1);
            a2 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r2 + k), q0, a2);
            a3 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r3 + k), q0, a3);
            k += 16;
        }
        // Every accumulator is reduced before the first tail call: a vector live across a call (all are caller-saved)
        // made the JIT spill three accumulators to the stack inside the k loop above, a store and reload per step on
        // each chain, which held the bf16 path to ~0.65 of the streaming read on Zen 4.
        float s0 = Vector512.Sum(a0 + b0), s1 = Vector512.Sum(a1 + b1), s2 = Vector512.Sum(a2 + b2), s3 = Vector512.Sum(a3 + b3);
        scores[0] = s0 + TailScalar<TDecoder, T>(r0, k, d, q);
        scores[1] = s1 + TailScalar<TDecoder, T>(r1, k, d, q);
        scores[2] = s2 + TailScalar<TDecoder, T>(r2, k, d, q);
        scores[3] = s3 + TailScalar<TDecoder, T>(r3, k, d, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x256<TDecoder, T>(T* r0, int d, float* q, float* scores)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        T* r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
        Vector256<float> a0 = default, b0 = default, a1 = default, b1 = default;
        Vector256<float> a2 = default, b2 = default, a3 = default, b3 = default;
        var k = 0;
        for (; k <= d - 16; k += 16)
        {
            var q0 = Vector256.Load(q + k);
            var q1 = Vector256.Load(q + k + 8);
            a0 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k), q0, a0);
            b0 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k + 8), q1, b0);
            a1 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r1 + k), q0, a1);
            b1 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r1 + k + 8), q1, b1);
            a2 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r2 + k), q0, a2);
            b2 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r2 + k + 8), q1, b2);
            a3 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r3 + k), q0, a3);
            b3 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r3 + k + 8), q1, b3);
        }
        if (k <= d - 8)
        {
            var q0 = Vector256.Load(q + k);
            a0 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k), q0, a0);
            a1 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r1 + k), q0, a1);
            a2 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r2 + k), q0, a2);
            a3 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r3 + k), q0, a3);
            k += 8;
        }
        // Every accumulator is reduced before the first tail call: a vector live across a call (all are caller-saved)
        // made the JIT spill three accumulators to the stack inside the k loop above, a store and reload per step on
        // each chain, which held the bf16 path to ~0.65 of the streaming read on Zen 4.
        float s0 = Vector256.Sum(a0 + b0), s1 = Vector256.Sum(a1 + b1), s2 = Vector256.Sum(a2 + b2), s3 = Vector256.Sum(a3 + b3);
        scores[0] = s0 + TailScalar<TDecoder, T>(r0, k, d, q);
        scores[1] = s1 + TailScalar<TDecoder, T>(r1, k, d, q);
        scores[2] = s2 + TailScalar<TDecoder, T>(r2, k, d, q);
        scores[3] = s3 + TailScalar<TDecoder, T>(r3, k, d, q);
    }

    // One row, four accumulators (the FMA latency hidden), 64 elements per step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1x512<TDecoder, T>(T* r0, int d, float* q)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var k = 0;
        for (; k <= d - 64; k += 64)
        {
            a0 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k), Vector512.Load(q + k), a0);
            a1 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k + 16), Vector512.Load(q + k + 16), a1);
            a2 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k + 32), Vector512.Load(q + k + 32), a2);
            a3 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k + 48), Vector512.Load(q + k + 48), a3);
        }
        for (; k <= d - 16; k += 16)
            a0 = Vector512.FusedMultiplyAdd(TDecoder.Load16(r0 + k), Vector512.Load(q + k), a0);
        var s = Vector512.Sum(a0 + a1 + (a2 + a3));
        return s + TailScalar<TDecoder, T>(r0, k, d, q);
    }

    // The same over 256-bit vectors, 32 elements per step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1x256<TDecoder, T>(T* r0, int d, float* q)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var k = 0;
        for (; k <= d - 32; k += 32)
        {
            a0 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k), Vector256.Load(q + k), a0);
            a1 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k + 8), Vector256.Load(q + k + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k + 16), Vector256.Load(q + k + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k + 24), Vector256.Load(q + k + 24), a3);
        }
        for (; k <= d - 8; k += 8)
            a0 = Vector256.FusedMultiplyAdd(TDecoder.Load8(r0 + k), Vector256.Load(q + k), a0);
        var s = Vector256.Sum(a0 + a1 + (a2 + a3));
        return s + TailScalar<TDecoder, T>(r0, k, d, q);
    }

    // The last d % 16 (or % 8) elements: at most 15 per row, negligible against d in the thousands.
    private static float TailScalar<TDecoder, T>(T* row, int k, int d, float* q)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        var sum = 0f;
        for (; k < d; k++)
            sum = MathF.FusedMultiplyAdd(TDecoder.Load1(row + k), q[k], sum);
        return sum;
    }

    private static float DotScalar<TDecoder, T>(T* row, int d, float* q)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        // Four chains, so the scalar path is not bound by one add's latency.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var k = 0;
        for (; k <= d - 4; k += 4)
        {
            s0 = MathF.FusedMultiplyAdd(TDecoder.Load1(row + k), q[k], s0);
            s1 = MathF.FusedMultiplyAdd(TDecoder.Load1(row + k + 1), q[k + 1], s1);
            s2 = MathF.FusedMultiplyAdd(TDecoder.Load1(row + k + 2), q[k + 2], s2);
            s3 = MathF.FusedMultiplyAdd(TDecoder.Load1(row + k + 3), q[k + 3], s3);
        }
        return s0 + s1 + (s2 + s3) + TailScalar<TDecoder, T>(row, k, d, q);
    }
}
