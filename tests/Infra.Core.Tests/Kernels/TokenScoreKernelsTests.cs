using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

public sealed class TokenScoreKernelsTests
{
    public static TheoryData<string> Paths => KernelPathData.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Token_scores_match_the_scalar_reference_and_sum_to_the_example_score(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        (int T, int KIn, int KOut, int M)[] shapes = [(1, 1, 1, 1), (5, 3, 7, 2), (13, 64, 64, 1), (40, 64, 64, 32), (33, 17, 29, 5), (300, 48, 40, 3)];
        foreach (var (t, kIn, kOut, m) in shapes)
        {
            var random = new Random(t * kIn + m);
            var a = Values(random, t * kIn);
            var g = Values(random, t * kOut);
            var q = Values(random, m * kOut * kIn);
            var scores = new float[t * m];
            TokenScoreKernels.Score(a, g, t, kIn, kOut, q, m, scores, path);

            var reference = ScalarReference.TokenScores(a, g, t, kIn, kOut, q, m);
            for (var j = 0; j < m; j++)
            {
                // Σ_t g_t a_tᵀ: the example's gradient; <Q_j, it> is the example-level score.
                double example = 0, magnitude = 0;
                for (var o = 0; o < kOut; o++)
                    for (var i = 0; i < kIn; i++)
                    {
                        double gradient = 0;
                        for (var token = 0; token < t; token++)
                            gradient += (double)g[token * kOut + o] * a[token * kIn + i];
                        example += q[(j * kOut + o) * kIn + i] * gradient;
                        magnitude += Math.Abs(q[(j * kOut + o) * kIn + i] * gradient);
                    }
                var summed = Enumerable.Range(0, t).Sum(token => (double)scores[token * m + j]);
                Assert.True(Math.Abs(summed - example) <= 1e-5 * magnitude, $"{path} {t}x{kIn}x{kOut} m={m} q{j}: Σ_t s = {summed}, example score {example}");
                for (var token = 0; token < t; token++)
                {
                    var expected = reference[token * m + j];
                    Assert.True(Math.Abs(scores[token * m + j] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"{path} token {token} q{j}: {scores[token * m + j]} vs {expected}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_factor_width_0_to_256_is_within_the_fp32_bound(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        // t = 13 crosses the 12- and 6-token tiles; k_out = 33 a full panel plus a short one; m = 2 two query loops.
        for (var k = 0; k <= 256; k++)
        {
            new TokenCase(13, k, 33, 2, seed: k).AssertWithinFp32Bound(path);
            new TokenCase(7, 17, k, 2, seed: 1000 + k).AssertWithinFp32Bound(path);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Odd_token_counts_and_query_counts_are_within_the_fp32_bound(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        // Token counts around the tiles, query counts 1..17, widths around the 16- and 32-wide panels.
        for (var t = 0; t <= 25; t++)
            for (var m = 1; m <= 17; m++)
                new TokenCase(t, t % 5 * 7 + 1, 31 + t % 3, m, seed: t * 31 + m).AssertWithinFp32Bound(path);
        (int T, int KIn, int KOut, int M)[] shapes = [(0, 4, 4, 3), (4, 0, 4, 3), (4, 4, 0, 3), (4, 4, 4, 0), (37, 65, 47, 9), (24, 128, 16, 4), (12, 1, 64, 32)];
        foreach (var (t, kIn, kOut, m) in shapes)
            new TokenCase(t, kIn, kOut, m, seed: t + kIn + kOut + m).AssertWithinFp32Bound(path);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Calls_large_enough_to_run_on_all_cores_match_the_per_token_computation(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        // Above the parallel threshold (t · M · k_in · k_out >= 2^22): chunk edges must neither drop nor repeat tokens.
        new TokenCase(1_003, 64, 64, 5, seed: 9).AssertWithinFp32Bound(path);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Queries_packed_once_give_the_same_scores_for_every_example(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        const int kIn = 40, kOut = 50, m = 3;
        var random = new Random(11);
        var q = Values(random, m * kOut * kIn);
        var panels = new LayerQueryPanels(q, m, kIn, kOut, path);
        foreach (var t in new[] { 1, 12, 29 })
        {
            var a = Values(random, t * kIn);
            var g = Values(random, t * kOut);
            float[] once = new float[t * m], each = new float[t * m];
            TokenScoreKernels.Score(a, g, t, panels, once);
            TokenScoreKernels.Score(a, g, t, kIn, kOut, q, m, each, path);
            Assert.Equal(each, once);
        }
    }

    [Fact]
    public void Mismatched_packed_shapes_are_rejected()
    {
        var panels = new LayerQueryPanels(new float[2 * 3 * 4], 2, 4, 3);
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(new float[7], new float[6], 2, panels, new float[4]));
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(new float[8], new float[5], 2, panels, new float[4]));
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(new float[8], new float[6], 2, panels, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenScoreKernels.Score(new float[8], new float[6], -1, panels, new float[4]));
        Assert.Throws<ArgumentException>(() => new LayerQueryPanels(new float[23], 2, 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerQueryPanels(Array.Empty<float>(), -1, 4, 3));
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        float[] a = new float[6], g = new float[4], q = new float[6], s = new float[2];
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(a.AsSpan(1), g, 2, 3, 2, q, 1, s));
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(a, g.AsSpan(1), 2, 3, 2, q, 1, s));
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(a, g, 2, 3, 2, q.AsSpan(1), 1, s));
        Assert.Throws<ArgumentException>(() => TokenScoreKernels.Score(a, g, 2, 3, 2, q, 1, s.AsSpan(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenScoreKernels.Score(a, g, -2, 3, 2, q, 1, s));
    }

    private static float[] Values(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
