namespace Infra.Validation.Statistics;

/// <summary>Percentile bootstrap of a mean (resampling with replacement, seeded so reports are reproducible).</summary>
public static class Bootstrap
{
    /// <summary>
    /// The mean of the finite <paramref name="values"/> and its 95 % percentile interval over
    /// <paramref name="resamples"/> resamples (default 2,000) drawn with <paramref name="seed"/> (default 0).
    /// All NaN when no value is finite.
    /// </summary>
    public static MeanInterval Mean(IReadOnlyList<double> values, int resamples = 2000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new MeanInterval(double.NaN, double.NaN, double.NaN, 0);
        var rng = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (var i = 0; i < finite.Length; i++) sum += finite[rng.Next(finite.Length)];
            means[r] = sum / finite.Length;
        }
        Array.Sort(means);
        return new MeanInterval(finite.Average(), Percentile(means, 0.025), Percentile(means, 0.975), finite.Length);
    }

    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
