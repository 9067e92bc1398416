namespace Infra.Core.Statistics;

/// <summary>
/// Percentile bootstrap intervals, one implementation for the roll-ups and the validation reports. For a sample x of size n: draw B resamples of size n with
/// replacement (SplitMix64 seeded by <see cref="BootstrapOptions.Seed"/> and the stream name),
/// take each resample's mean, and report the (1-c)/2 and (1+c)/2 quantiles (type 7) of the B means.
/// Deterministic for a seed and name; an empty sample gives (NaN, NaN), a single value (x, x). Stops with
/// <see cref="OperationCanceledException"/> within 64 resamples of <see cref="BootstrapOptions.Cancellation"/> firing.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The mean of the finite <paramref name="values"/> (NaN and infinities skipped) and its 95 % percentile interval
    /// over <paramref name="resamples"/> resamples (default 2,000) drawn with <paramref name="seed"/> (default 0); all NaN
    /// and a count of 0 when no value is finite. What the validation reports state their means with.
    /// </summary>
    public static MeanInterval Mean(IReadOnlyList<double> values, int resamples = 2000, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new MeanInterval(double.NaN, double.NaN, double.NaN, 0);
        var (low, high) = MeanInterval(finite, new BootstrapOptions { Resamples = resamples, Seed = seed }, "mean");
        return new MeanInterval(finite.Average(), low, high, finite.Length);
    }

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
