using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

/// <summary>
/// Token-level influence for one tracked layer: <c>s[t, j] = ĝ_tᵀ Q̃_j â_t</c>, where token t has input factor
/// <c>â_t</c> (<c>k_in</c>) and output-gradient factor <c>ĝ_t</c> (<c>k_out</c>), and <c>Q̃_j</c> is preconditioned
/// query j (<c>k_out x k_in</c>). Summed over tokens it is the example-level score <c>&lt;Q̃_j, Σ_t ĝ_t â_tᵀ&gt;</c>.
/// Computed as one blocked product for many tokens and queries: row sums of <c>(Â_T Q̃_jᵀ) ⊙ Ĝ_T</c>, with the
/// <c>Â_T Q̃_jᵀ</c> tile held in registers and folded with <c>Ĝ_T</c> at once (12 tokens x 32 output rows on AVX-512,
/// 6 x 16 on AVX2), so no intermediate is written. Sums are fp32; large calls use every core.
/// </summary>
public static unsafe class TokenScoreKernels
{
    /// <summary>Below this many multiply-adds one thread beats waking the thread pool.</summary>
    private const long ParallelThreshold = 1L << 22;

    /// <summary>Scores every token against every query, packing the queries first.</summary>
    /// <param name="a">Input factors, row-major <c>t x kIn</c>.</param>
    /// <param name="g">Output-gradient factors, row-major <c>t x kOut</c>.</param>
    /// <param name="t">Token count.</param>
    /// <param name="kIn">Input factor width.</param>
    /// <param name="kOut">Output factor width.</param>
    /// <param name="queries">Preconditioned queries, <c>m x kOut x kIn</c> row-major.</param>
    /// <param name="m">Query count.</param>
    /// <param name="scores">Row-major <c>t x m</c>, overwritten.</param>
    /// <exception cref="ArgumentException">A span's length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    public static void Score(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int t, int kIn, int kOut, ReadOnlySpan<float> queries, int m, Span<float> scores) =>
        Score(a, g, t, kIn, kOut, queries, m, scores, KernelPath.Auto);

    /// <summary>Scores every token against queries packed once with <see cref="LayerQueryPanels"/> (the fast route for many examples).</summary>
    /// <param name="a">Input factors, row-major <c>t x k_in</c>.</param>
    /// <param name="g">Output-gradient factors, row-major <c>t x k_out</c>.</param>
    /// <param name="t">Token count.</param>
    /// <param name="queries">The layer's packed queries.</param>
    /// <param name="scores">Row-major <c>t x M</c>, overwritten.</param>
    /// <exception cref="ArgumentException">A span's length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative token count.</exception>
    public static void Score(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int t, LayerQueryPanels queries, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        int kIn = queries.KIn, kOut = queries.KOut, m = queries.QueryCount;
        if (a.Length != (long)t * kIn)
            throw new ArgumentException($"{t} tokens of k_in {kIn} need {(long)t * kIn} values, got {a.Length}", nameof(a));
        if (g.Length != (long)t * kOut)
            throw new ArgumentException($"{t} tokens of k_out {kOut} need {(long)t * kOut} values, got {g.Length}", nameof(g));
        if (scores.Length != (long)t * m)
            throw new ArgumentException($"{t} tokens x {m} queries need {(long)t * m} scores, got {scores.Length}", nameof(scores));
        if (t == 0 || m == 0)
            return;
        fixed (float* ap = a)
        fixed (float* gp = g)
        fixed (float* sp = scores)
        {
            Run(ap, gp, t, queries, sp);
        }
    }

    /// <summary>As the first public overload, on a forced kernel path (tests).</summary>
    internal static void Score(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int t, int kIn, int kOut, ReadOnlySpan<float> queries, int m, Span<float> scores, KernelPath path)
    {
        // The panels check the queries' shape and the dimensions; the token count is checked before packing.
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        Score(a, g, t, new LayerQueryPanels(queries, m, kIn, kOut, path), scores);
    }

    private static void Run(float* a, float* g, int t, LayerQueryPanels queries, float* scores)
    {
        var tileRows = queries.Path switch { KernelPath.Vector512 => 12, KernelPath.Vector256 => 6, _ => 1 };
        var work = (long)t * queries.QueryCount * queries.KIn * queries.KOut;
        var threads = Environment.ProcessorCount;
        if (work < ParallelThreshold || threads == 1 || t <= tileRows)
        {
            RunTokens(a, g, 0, t, queries, scores);
            return;
        }
        // Four chunks per core balance the load; each is a whole number of token tiles.
        var chunk = (t + threads * 4 - 1) / (threads * 4);
        chunk = (chunk + tileRows - 1) / tileRows * tileRows;
        var chunks = (t + chunk - 1) / chunk;
        nint ap = (nint)a, gp = (nint)g, sp = (nint)scores;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => RunTokens((float*)ap, (float*)gp, c * chunk, Math.Min(chunk, t - c * chunk), queries, (float*)sp));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTokens(float* a, float* g, int start, int count, LayerQueryPanels queries, float* scores)
    {
        int kIn = queries.KIn, kOut = queries.KOut, m = queries.QueryCount;
        if (queries.Path == KernelPath.Scalar)
        {
            PerToken(a, g, start, count, queries, scores);
            return;
        }
        int tileRows = queries.Path == KernelPath.Vector512 ? 12 : 6, lanes = tileRows == 12 ? 16 : 8;
        int width = queries.Width, panels = queries.PanelsPerQuery, ldg = panels * width;
        // One tile's Â (k-major), Ĝ (padded to whole panels) and per-token running sums: a few KB, so in L1.
        var aTile = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, tileRows * kIn) * sizeof(float), 64);
        var gTile = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, tileRows * ldg) * sizeof(float), 64);
        var sums = stackalloc float[12 * 16];
        try
        {
            for (var t0 = start; t0 < start + count; t0 += tileRows)
            {
                var rows = Math.Min(tileRows, start + count - t0);
                PackTokens(a + (long)t0 * kIn, g + (long)t0 * kOut, rows, tileRows, kIn, kOut, ldg, aTile, gTile);
                for (var j = 0; j < m; j++)
                {
                    NativeMemory.Clear(sums, (nuint)(tileRows * lanes) * sizeof(float));
                    for (var p = 0; p < panels; p++)
                    {
                        if (tileRows == 12)
                            TokenMicroKernels.Fused12x32(aTile, kIn, queries.Panel(j, p), gTile + p * width, ldg, sums);
                        else
                            TokenMicroKernels.Fused6x16(aTile, kIn, queries.Panel(j, p), gTile + p * width, ldg, sums);
                    }
                    for (var r = 0; r < rows; r++)
                        scores[(long)(t0 + r) * m + j] = lanes == 16 ? Vector512.Sum(Vector512.Load(sums + r * 16)) : Vector256.Sum(Vector256.Load(sums + r * 8));
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(aTile);
            NativeMemory.AlignedFree(gTile);
        }
    }

    // Â rows transposed to k-major so that one k step's tokens are adjacent (broadcasts at constant offsets from one
    // pointer); Ĝ rows padded with zeros to whole panels. Spare rows of a short tile are zero and their sums unused.
    // Each packed value serves M · k_out multiply-adds, so the scalar transpose is noise.
    private static void PackTokens(float* a, float* g, int rows, int tileRows, int kIn, int kOut, int ldg, float* aTile, float* gTile)
    {
        for (var i = 0; i < kIn; i++)
        {
            var dst = aTile + i * tileRows;
            var r = 0;
            for (; r < rows; r++)
                dst[r] = a[(long)r * kIn + i];
            for (; r < tileRows; r++)
                dst[r] = 0;
        }
        NativeMemory.Clear(gTile, (nuint)(tileRows * ldg) * sizeof(float));
        for (var r = 0; r < rows; r++)
            Buffer.MemoryCopy(g + (long)r * kOut, gTile + r * ldg, kOut * sizeof(float), kOut * sizeof(float));
    }

    // The scalar path (any CPU) and the definition the fused kernels are tested against: per token and query,
    // h = Q̃_j â_t, then ĝ_tᵀ h. Its panels are Q̃_j's rows as given (width 1).
    private static void PerToken(float* a, float* g, int start, int count, LayerQueryPanels queries, float* scores)
    {
        int kIn = queries.KIn, kOut = queries.KOut, m = queries.QueryCount;
        for (var t = start; t < start + count; t++)
        {
            var at = new ReadOnlySpan<float>(a + (long)t * kIn, kIn);
            for (var j = 0; j < m; j++)
            {
                var sum = 0f;
                for (var o = 0; o < kOut; o++)
                    sum = MathF.FusedMultiplyAdd(g[(long)t * kOut + o], TensorPrimitives.Dot(new ReadOnlySpan<float>(queries.Panel(j, o), kIn), at), sum);
                scores[(long)t * m + j] = sum;
            }
        }
    }
}
