namespace Infra.Core.Statistics;

/// <summary>Quantiles of sorted samples by linear interpolation between order statistics (Hyndman-Fan type 7, numpy's default).</summary>
public static class Quantile
{
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }
        var position = p * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>The median: the middle value for odd n, the mean of the two middle values for even n.</summary>
    public static double Median(ReadOnlySpan<double> sorted) => OfSorted(sorted, 0.5);
}
