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
