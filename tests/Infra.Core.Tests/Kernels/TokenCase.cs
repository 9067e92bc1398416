using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

/// <summary>
/// One random layer of <c>t</c> tokens (factors â, ĝ) and <c>m</c> preconditioned queries: runs a forced kernel path
/// and checks every token score against the double-precision per-token <see cref="ScalarReference.TokenScores"/>
/// within the fp32 bound <c>(k_in + k_out + 32) · 2^-24 · Σ_{o,i} |ĝ_o Q̃_oi â_i|</c> (the inner sums of k_in, the
/// outer of k_out, and the lane reduction each round once per term), and that each query's token scores sum to
/// the example-level score <c>&lt;Q̃_j, Σ_t ĝ_t â_tᵀ&gt;</c>.
/// </summary>
internal sealed class TokenCase
{
    private const double Unit = 1.0 / (1 << 24);

    private readonly int t, kIn, kOut, m;
    private readonly float[] a, g, q;

    public TokenCase(int t, int kIn, int kOut, int m, int seed)
    {
        (this.t, this.kIn, this.kOut, this.m) = (t, kIn, kOut, m);
        var random = new Random(seed);
        a = Values(random, t * kIn);
        g = Values(random, t * kOut);
        q = Values(random, m * kOut * kIn);
    }

    public void AssertWithinFp32Bound(KernelPath path)
    {
        var scores = new float[t * m];
        TokenScoreKernels.Score(a, g, t, kIn, kOut, q, m, scores, path);
        var reference = ScalarReference.TokenScores(a, g, t, kIn, kOut, q, m);
        for (var j = 0; j < m; j++)
        {
            double summed = 0, example = 0, total = 0;
            for (var token = 0; token < t; token++)
            {
                double magnitude = 0;
                for (var o = 0; o < kOut; o++)
                    for (var i = 0; i < kIn; i++)
                        magnitude += Math.Abs((double)g[token * kOut + o] * q[(j * kOut + o) * kIn + i] * a[token * kIn + i]);
                var expected = reference[token * m + j];
                var actual = scores[token * m + j];
                var bound = (kIn + kOut + 32) * Unit * magnitude;
                if (Math.Abs(actual - expected) > bound)
                    Assert.Fail($"{path} t={t} k_in={kIn} k_out={kOut} m={m}: token {token} query {j}: {actual} vs {expected} (bound {bound:G3})");
                summed += actual;
                example += expected;
                total += bound;
            }
            // The invariant: Σ_t s_t = <Q̃_j, Ĝ>; the reference's per-token terms sum to it exactly in double.
            if (Math.Abs(summed - example) > total + 1e-12)
                Assert.Fail($"{path} t={t} k_in={kIn} k_out={kOut} m={m}: query {j}: Σ_t s = {summed}, example score {example}");
        }
    }

    private static float[] Values(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
