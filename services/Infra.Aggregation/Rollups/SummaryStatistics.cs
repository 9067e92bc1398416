using Infra.Core.Statistics;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// Statistics of one roll-up cell over its per-example values: n, mean, median (mean of the two
/// middle values for even n), sum, share of values &gt; 0, and the percentile-bootstrap interval of
/// the mean (<see cref="Bootstrap"/>). Every field but <see cref="N"/> is NaN when n = 0.
/// </summary>
public sealed record SummaryStatistics(int N, double Mean, double Median, double Sum, double SharePositive, double CiLow, double CiHigh)
{
    /// <summary>Summarises <paramref name="values"/> (all finite); <paramref name="stream"/> names the cell's bootstrap stream.</summary>
    public static SummaryStatistics Compute(ReadOnlySpan<double> values, BootstrapOptions options, string stream)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (values.IsEmpty)
        {
            return new SummaryStatistics(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var sum = 0.0;
        var positive = 0;
        foreach (var value in values)
        {
            sum += value;
            positive += value > 0 ? 1 : 0;
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var (low, high) = Bootstrap.MeanInterval(values, options, stream);
        return new SummaryStatistics(values.Length, sum / values.Length, Quantile.Median(sorted), sum, (double)positive / values.Length, low, high);
    }
}
