using Infra.Core.Statistics;
using Infra.Validation.Statistics;

namespace Infra.Validation.Tests;

public sealed class RankingTests
{
    [Fact]
    public void Spearman_matches_hand_computed_values_with_ties()
    {
        // Ranks of x: 1, 2.5, 2.5, 4; of y: 1, 2, 3, 4. Pearson of the ranks by hand: 0.9486832980505138.
        Assert.Equal(0.9486832980505138, Ranking.Spearman([1.0, 5.0, 5.0, 9.0], [10.0, 20.0, 30.0, 40.0]), 12);
        Assert.Equal(-1.0, Ranking.Spearman([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]), 12);
        Assert.Equal(1.0, Ranking.Spearman([1.0, 2.0, 3.0], [1.0, 4.0, 90.0]), 12);
        Assert.True(double.IsNaN(Ranking.Spearman([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])));
        Assert.Equal([1.0, 2.5, 2.5, 4.0], Ranking.Ranks([1.0, 5.0, 5.0, 9.0]));
    }

    [Fact]
    public void Top_k_overlap_counts_the_shared_largest()
    {
        // Largest two of the reference: indices 3 and 0; of the estimate: 3 and 2.
        Assert.Equal(0.5, Ranking.TopKOverlap([5.0, 1.0, 2.0, 9.0], [0.0, 1.0, 7.0, 8.0], 2));
        Assert.Equal(1.0, Ranking.TopKOverlap([5.0, 1.0, 2.0, 9.0], [5.0, 1.0, 2.0, 9.0], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ranking.TopKOverlap([1.0], [1.0], 0));
    }

    [Fact]
    public void Bootstrap_interval_brackets_the_mean_and_ignores_nan()
    {
        var m = Bootstrap.Mean([0.1, 0.2, 0.3, 0.4, double.NaN, 0.5]);
        Assert.Equal(5, m.Count);
        Assert.Equal(0.3, m.Mean, 12);
        Assert.True(m.Low < m.Mean && m.Mean < m.High && m.Low >= 0.1 && m.High <= 0.5);
        Assert.Equal(m, Bootstrap.Mean([0.1, 0.2, 0.3, 0.4, double.NaN, 0.5]));
        Assert.True(double.IsNaN(Bootstrap.Mean([double.NaN]).Mean));
    }

    [Fact]
    public void Subsets_are_reproducible_halves()
    {
        var a = Lds.SubsetSampler.Draw(10, 0.5, seed: 3, index: 4);
        Assert.Equal(a, Lds.SubsetSampler.Draw(10, 0.5, seed: 3, index: 4));
        Assert.Equal(5, a.Distinct().Count());
        Assert.All(a, i => Assert.InRange(i, 0, 9));
        Assert.NotEqual(a, Lds.SubsetSampler.Draw(10, 0.5, seed: 3, index: 5));
    }
}
