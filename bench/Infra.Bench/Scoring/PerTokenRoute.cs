using System.Numerics.Tensors;
using Infra.Core.Kernels;

namespace Infra.Bench.Scoring;

/// <summary>
/// The token-level route before issue 17, kept only as the benchmark's side-by-side baseline: <c>B = Â Q̃ᵀ</c> for
/// all M queries as one fp32 GEMM whose "queries" are the <c>M · k_out</c> stacked rows of the Q̃_j (written out,
/// in blocks of at most 16 MB), then one dot of each token's ĝ_t with its slice of B.
/// </summary>
internal static class PerTokenRoute
{
    private const int MaxIntermediate = 4 << 20;

    public static void Score(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int t, int kIn, int kOut, ReadOnlySpan<float> queries, int m, Span<float> scores)
    {
        var width = m * kOut;
        var block = Math.Clamp(MaxIntermediate / width, 12, Math.Max(12, t));
        var b = new float[Math.Min(block, t) * width];
        for (var start = 0; start < t; start += block)
        {
            var count = Math.Min(block, t - start);
            var tile = b.AsSpan(0, count * width);
            ScoreKernels.Score(a.Slice(start * kIn, count * kIn), count, kIn, queries, width, tile);
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
