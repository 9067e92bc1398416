using Infra.Core.Errors;
using Infra.Core.Scoring;

namespace Infra.Core.Tests.Scoring;

public sealed class InfluenceScoreTests
{
    [Fact]
    public void Score_equals_a_scalar_sum_over_layers_for_every_length()
    {
        var random = new Random(4);
        for (var n = 0; n <= 130; n++)
        {
            var q = new[] { Random(random, n), Random(random, 3) };
            var g = new[] { Random(random, n), Random(random, 3) };
            double expected = 0;
            for (var l = 0; l < 2; l++)
                for (var i = 0; i < q[l].Length; i++)
                    expected += (double)q[l][i] * g[l][i];
            Assert.Equal(expected, InfluenceScore.Example(q, g), 4);
        }
    }

    [Fact]
    public void Mismatched_layers_are_refused()
    {
        Assert.Throws<DomainException>(() => InfluenceScore.Example([new float[2]], [new float[2], new float[2]]));
        Assert.Contains("layer 0", Assert.Throws<DomainException>(() => InfluenceScore.Example([new float[2]], [new float[3]])).Message, StringComparison.Ordinal);
    }

    private static float[] Random(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
}
