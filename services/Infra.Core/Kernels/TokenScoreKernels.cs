using System.Numerics.Tensors;

namespace Infra.Core.Kernels;

/// <summary>
/// Token-level influence for one tracked layer: <c>s[t, j] = g_tᵀ Q_j a_t</c>, where token t has input factor
/// <c>a_t</c> (<c>k_in</c>) and output-gradient factor <c>g_t</c> (<c>k_out</c>), and <c>Q_j</c> is preconditioned
/// query j (<c>k_out x k_in</c>). Summed over tokens it is the example-level score <c>&lt;Q_j, Σ_t g_t a_tᵀ&gt;</c>.
/// Computed as <c>B = A Q_jᵀ</c> for all queries at once with the fp32 GEMM of <see cref="ScoreKernels"/> (the
/// <c>M·k_out</c> rows of the stacked queries are its queries), then one dot of each token's <c>g_t</c> with its
/// slice of B.
/// </summary>
public static class TokenScoreKernels
{
    /// <summary>Upper bound on the intermediate <c>B</c> (floats) held at once: 16 MB.</summary>
    private const int MaxIntermediate = 4 << 20;

    /// <summary>Scores every token against every query.</summary>
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

    /// <summary>As the public overload, on a forced kernel path (tests).</summary>
    internal static void Score(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int t, int kIn, int kOut, ReadOnlySpan<float> queries, int m, Span<float> scores, KernelPath path)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        ArgumentOutOfRangeException.ThrowIfNegative(kIn);
        ArgumentOutOfRangeException.ThrowIfNegative(kOut);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (a.Length != (long)t * kIn)
            throw new ArgumentException($"{t} tokens of k_in {kIn} need {(long)t * kIn} values, got {a.Length}", nameof(a));
        if (g.Length != (long)t * kOut)
            throw new ArgumentException($"{t} tokens of k_out {kOut} need {(long)t * kOut} values, got {g.Length}", nameof(g));
        if (queries.Length != (long)m * kOut * kIn)
            throw new ArgumentException($"{m} queries of {kOut} x {kIn} need {(long)m * kOut * kIn} values, got {queries.Length}", nameof(queries));
        if (scores.Length != (long)t * m)
            throw new ArgumentException($"{t} tokens x {m} queries need {(long)t * m} scores, got {scores.Length}", nameof(scores));
        if (t == 0 || m == 0)
            return;
        var width = m * kOut;
        if (width == 0)
        {
            scores.Clear();
            return;
        }
        // Tokens in blocks, so that B stays bounded whatever t is; each block re-packs the queries, which costs
        // 1/block of the GEMM's work.
        var block = Math.Clamp(MaxIntermediate / width, 12, Math.Max(12, t));
        var b = new float[Math.Min(block, t) * width];
        for (var start = 0; start < t; start += block)
        {
            var count = Math.Min(block, t - start);
            var tile = b.AsSpan(0, count * width);
            ScoreKernels.Score<Float32Decoder, float>(a.Slice(start * kIn, count * kIn), default, count, kIn, queries, width, tile, path, Int8ScoreMode.Float32);
            for (var token = 0; token < count; token++)
            {
                var gt = g.Slice((start + token) * kOut, kOut);
                var bt = tile.Slice(token * width, width);
                for (var j = 0; j < m; j++)
                    scores[(start + token) * m + j] = TensorPrimitives.Dot(gt, bt.Slice(j * kOut, kOut));
            }
        }
    }
}
