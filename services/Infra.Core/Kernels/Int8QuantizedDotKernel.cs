using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Infra.Core.Kernels;

/// <summary>
/// int8 rows against an int16 query (M = 1): <c>vpmaddwd</c> multiplies int16 pairs and adds each pair into int32,
/// so 32 (AVX-512) or 16 (AVX2) elements cost one widening load and one multiply-add. Results are integer sums
/// (exact) converted to fp32; the caller multiplies by <c>rowScale * queryScale</c>.
/// </summary>
internal static unsafe class Int8QuantizedDotKernel
{
    /// <summary>
    /// Elements summed in int32 before flushing to fp32. One lane then holds at most 4096/16 = 256 products of
    /// |127 * 32767|, i.e. 1.07e9 &lt; 2^31, so the integer sums cannot overflow.
    /// </summary>
    internal const int FlushElements = 4096;

    /// <summary>Scores <paramref name="count"/> consecutive rows of length <paramref name="d"/>, unscaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(sbyte* rows, long count, int d, short* query, float* scores, KernelPath path)
    {
        long i = 0;
        if (path == KernelPath.Vector512)
        {
            for (; i + 4 <= count; i += 4)
                Dot4x512(rows + i * d, d, query, scores + i);
        }
        else if (path == KernelPath.Vector256)
        {
            for (; i + 4 <= count; i += 4)
                Dot4x256(rows + i * d, d, query, scores + i);
        }
        for (; i < count; i++)
            scores[i] = Tail(rows + i * d, 0, d, query);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x512(sbyte* r0, int d, short* q, float* scores)
    {
        sbyte* r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
        Vector512<float> f0 = default, f1 = default, f2 = default, f3 = default;
        var k = 0;
        while (k <= d - 32)
        {
            var stop = Math.Min(d - 32, k + FlushElements - 32);
            Vector512<int> i0 = default, i1 = default, i2 = default, i3 = default;
            for (; k <= stop; k += 32)
            {
                var qv = Vector512.Load(q + k);
                i0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r0 + k)), qv);
                i1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r1 + k)), qv);
                i2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r2 + k)), qv);
                i3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r3 + k)), qv);
            }
            f0 += Vector512.ConvertToSingle(i0);
            f1 += Vector512.ConvertToSingle(i1);
            f2 += Vector512.ConvertToSingle(i2);
            f3 += Vector512.ConvertToSingle(i3);
        }
        scores[0] = Vector512.Sum(f0) + Tail(r0, k, d, q);
        scores[1] = Vector512.Sum(f1) + Tail(r1, k, d, q);
        scores[2] = Vector512.Sum(f2) + Tail(r2, k, d, q);
        scores[3] = Vector512.Sum(f3) + Tail(r3, k, d, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x256(sbyte* r0, int d, short* q, float* scores)
    {
        sbyte* r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
        Vector256<float> f0 = default, f1 = default, f2 = default, f3 = default;
        var k = 0;
        while (k <= d - 16)
        {
            // 8 lanes: a lane sees FlushElements/8 products per flush, so flush twice as often as the 512 path.
            var stop = Math.Min(d - 16, k + FlushElements / 2 - 16);
            Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
            for (; k <= stop; k += 16)
            {
                var qv = Vector256.Load(q + k);
                i0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(r0 + k), qv);
                i1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(r1 + k), qv);
                i2 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(r2 + k), qv);
                i3 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(r3 + k), qv);
            }
            f0 += Vector256.ConvertToSingle(i0);
            f1 += Vector256.ConvertToSingle(i1);
            f2 += Vector256.ConvertToSingle(i2);
            f3 += Vector256.ConvertToSingle(i3);
        }
        scores[0] = Vector256.Sum(f0) + Tail(r0, k, d, q);
        scores[1] = Vector256.Sum(f1) + Tail(r1, k, d, q);
        scores[2] = Vector256.Sum(f2) + Tail(r2, k, d, q);
        scores[3] = Vector256.Sum(f3) + Tail(r3, k, d, q);
    }

    // Exact integer sum in 64 bits, then one rounding to fp32: the scalar path and the vector tails.
    private static float Tail(sbyte* row, int k, int d, short* q)
    {
        long sum = 0;
        for (; k < d; k++)
            sum += row[k] * q[k];
        return sum;
    }
}
