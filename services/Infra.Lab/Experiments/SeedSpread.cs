namespace Infra.Lab.Experiments;

/// <summary>Mean and spread of one measurement over seeds: sample standard deviation (0 for one seed), min and max.</summary>
public sealed record SeedSpread(int Seeds, double Mean, double StandardDeviation, double Min, double Max)
{
    /// <summary>The spread of <paramref name="values"/> (one per seed, at least one).</summary>
    public static SeedSpread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var mean = values.Average();
        var variance = values.Count < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new SeedSpread(values.Count, mean, Math.Sqrt(variance), values.Min(), values.Max());
    }
}
