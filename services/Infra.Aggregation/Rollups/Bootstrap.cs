namespace Infra.Aggregation.Rollups;

/// <summary>
/// Percentile bootstrap intervals. For a sample x of size n: draw B resamples of size n with
/// replacement (SplitMix64 seeded by <see cref="BootstrapOptions.Seed"/> and the stream name),
/// take each resample's mean, and report the (1-c)/2 and (1+c)/2 quantiles (type 7) of the B means.
/// Deterministic for a seed and name; an empty sample gives (NaN, NaN), a single value (x, x). Stops with
/// <see cref="OperationCanceledException"/> within 64 resamples of <see cref="BootstrapOptions.Cancellation"/> firing.
/// </summary>
public static class Bootstrap
{
    /// <summary>Interval for the mean of <paramref name="values"/>; <paramref name="stream"/> names the cell so its draws are its own.</summary>
    public static (double Low, double High) MeanInterval(ReadOnlySpan<double> values, BootstrapOptions options, string stream)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (values.IsEmpty)
        {
            return (double.NaN, double.NaN);
        }
        var random = new SeededRandom(SeededRandom.Derive(options.Seed, stream));
        var means = new double[options.Resamples];
        for (var b = 0; b < means.Length; b++)
        {
            if ((b & 63) == 0) options.Cancellation.ThrowIfCancellationRequested();
            means[b] = ResampleMean(values, random);
        }
        return Interval(means, options.Confidence);
    }

    /// <summary>Interval for mean(<paramref name="first"/>) − mean(<paramref name="second"/>), resampling each group independently.</summary>
    public static (double Low, double High) DifferenceInterval(ReadOnlySpan<double> first, ReadOnlySpan<double> second, BootstrapOptions options, string stream)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (first.IsEmpty || second.IsEmpty)
        {
            return (double.NaN, double.NaN);
        }
        var random = new SeededRandom(SeededRandom.Derive(options.Seed, stream));
        var differences = new double[options.Resamples];
        for (var b = 0; b < differences.Length; b++)
        {
            if ((b & 63) == 0) options.Cancellation.ThrowIfCancellationRequested();
            differences[b] = ResampleMean(first, random) - ResampleMean(second, random);
        }
        return Interval(differences, options.Confidence);
    }

    private static double ResampleMean(ReadOnlySpan<double> values, SeededRandom random)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[random.NextInt(values.Length)];
        }
        return sum / values.Length;
    }

    private static (double Low, double High) Interval(double[] statistics, double confidence)
    {
        Array.Sort(statistics);
        var tail = (1 - confidence) / 2;
        return (Quantile.OfSorted(statistics, tail), Quantile.OfSorted(statistics, 1 - tail));
    }
}
