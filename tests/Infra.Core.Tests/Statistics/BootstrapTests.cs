using Infra.Core.Statistics;

namespace Infra.Core.Tests.Statistics;

public class BootstrapTests
{
    private static double[] Sample(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.3).ToArray();
    }

    [Fact]
    public void Interval_is_deterministic_for_a_seed_and_stream()
    {
        var values = Sample(50, 1);
        var options = new BootstrapOptions { Seed = 42 };

        Assert.Equal(Bootstrap.MeanInterval(values, options, "math|math|5"), Bootstrap.MeanInterval(values, options, "math|math|5"));
        Assert.NotEqual(Bootstrap.MeanInterval(values, options, "math|math|5"), Bootstrap.MeanInterval(values, new BootstrapOptions { Seed = 43 }, "math|math|5"));
        Assert.NotEqual(Bootstrap.MeanInterval(values, options, "math|math|5"), Bootstrap.MeanInterval(values, options, "math|math|4"));
    }

    [Fact]
    public void Interval_contains_the_mean_and_shrinks_with_n()
    {
        var small = Sample(20, 2);
        var large = Sample(2000, 2);
        var (smallLow, smallHigh) = Bootstrap.MeanInterval(small, BootstrapOptions.Default, "s");
        var (largeLow, largeHigh) = Bootstrap.MeanInterval(large, BootstrapOptions.Default, "s");

        Assert.InRange(small.Average(), smallLow, smallHigh);
        Assert.InRange(large.Average(), largeLow, largeHigh);
        // The standard error falls as 1/sqrt(n): 100x the data, about a tenth of the width.
        Assert.True(largeHigh - largeLow < (smallHigh - smallLow) / 4, $"{largeHigh - largeLow} vs {smallHigh - smallLow}");
        // For a uniform(-0.3, 0.7) sample the 95 % half-width is about 1.96 x 0.2887 / sqrt(n).
        Assert.Equal(2 * 1.96 * 0.2887 / Math.Sqrt(2000), largeHigh - largeLow, 0.004);
    }

    [Fact]
    public void Degenerate_samples()
    {
        Assert.Equal((2.5, 2.5), Bootstrap.MeanInterval([2.5], BootstrapOptions.Default, "one"));
        Assert.Equal((1.0, 1.0), Bootstrap.MeanInterval([1, 1, 1], BootstrapOptions.Default, "constant"));
        var (low, high) = Bootstrap.MeanInterval([], BootstrapOptions.Default, "none");
        Assert.True(double.IsNaN(low) && double.IsNaN(high));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval([1.0], new BootstrapOptions { Resamples = 0 }, "bad"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval([1.0], new BootstrapOptions { Confidence = 1 }, "bad"));
    }

    [Fact]
    public void Difference_interval_is_a_constant_difference_for_constant_groups()
    {
        Assert.Equal((2.0, 2.0), Bootstrap.DifferenceInterval([3, 3], [1, 1, 1], BootstrapOptions.Default, "d"));
        var (low, high) = Bootstrap.DifferenceInterval(Sample(300, 3), Sample(300, 4), BootstrapOptions.Default, "d");
        Assert.True(low < 0 && high > 0); // same distribution: the interval covers 0
    }

    [Fact]
    public void Resampling_is_bounded_and_stops_when_its_caller_is_gone()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval([1.0, 2.0], new BootstrapOptions { Resamples = BootstrapOptions.MaxResamples + 1 }, "big"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new BootstrapOptions { Resamples = BootstrapOptions.MaxResamples, Cancellation = cancelled.Token };
        Assert.Throws<OperationCanceledException>(() => Bootstrap.MeanInterval(Sample(1000, 5), options, "gone"));
        Assert.Throws<OperationCanceledException>(() => Bootstrap.DifferenceInterval(Sample(1000, 5), Sample(1000, 6), options, "gone"));
        // An uncancelled token changes nothing: the same draws, the same interval.
        Assert.Equal(Bootstrap.MeanInterval(Sample(50, 7), BootstrapOptions.Default, "same"),
            Bootstrap.MeanInterval(Sample(50, 7), new BootstrapOptions { Cancellation = CancellationToken.None }, "same"));
    }
}
