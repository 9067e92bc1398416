using Infra.Aggregation.Rollups;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Tests.Rollups;

public class SummaryStatisticsTests
{
    [Fact]
    public void Median_of_even_and_odd_samples()
    {
        Assert.Equal(3.5, SummaryStatistics.Compute([3, 1, 4, 1, 5, 9], BootstrapOptions.Default, "even").Median); // 1 1 3 | 4 5 9
        Assert.Equal(3, SummaryStatistics.Compute([3, 1, 4, 1, 5], BootstrapOptions.Default, "odd").Median);
    }

    [Fact]
    public void Sum_mean_and_share_positive_by_hand()
    {
        var stats = SummaryStatistics.Compute([2, -1, 0, 3], BootstrapOptions.Default, "cell");

        Assert.Equal(4, stats.N);
        Assert.Equal(4, stats.Sum);
        Assert.Equal(1, stats.Mean);
        Assert.Equal(0.25 * 2, stats.SharePositive); // 0 is not positive
        Assert.Equal(1, stats.Median);
    }

    [Fact]
    public void Empty_cell_has_n_zero_and_NaN_statistics()
    {
        var stats = SummaryStatistics.Compute([], BootstrapOptions.Default, "empty");

        Assert.Equal(0, stats.N);
        Assert.True(double.IsNaN(stats.Mean) && double.IsNaN(stats.Median) && double.IsNaN(stats.CiLow) && double.IsNaN(stats.CiHigh));
    }
}
