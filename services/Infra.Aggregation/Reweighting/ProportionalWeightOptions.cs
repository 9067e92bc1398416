namespace Infra.Aggregation.Reweighting;

/// <summary>Knobs of <see cref="ProportionalWeights"/>.</summary>
public sealed class ProportionalWeightOptions
{
    /// <summary>Exponent p in max(0, I)^p. Defaults to 1.0.</summary>
    public double Power { get; init; } = 1.0;

    /// <summary>Smallest weight relative to the mean-1 weights before the final renormalisation, so harmful and neutral examples keep some mass. Defaults to 0.1.</summary>
    public double Floor { get; init; } = 0.1;

    /// <summary>The defaults.</summary>
    public static ProportionalWeightOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(double.IsFinite(Power) && Power > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Power), Power, "power must be finite and > 0");
        }
        if (!(double.IsFinite(Floor) && Floor >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Floor), Floor, "floor must be finite and >= 0");
        }
    }
}
