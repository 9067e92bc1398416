namespace Infra.Aggregation.Rollups;

/// <summary>How bootstrap confidence intervals are drawn (percentile method).</summary>
public sealed class BootstrapOptions
{
    /// <summary>Number of bootstrap resamples B. Defaults to 1000.</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Coverage of the interval. Defaults to 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Base seed; each cell derives its own stream from it and the cell's name, so a cell's interval does not depend on which other cells exist. Defaults to 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The defaults: B = 1000, 95 %, seed 0.</summary>
    public static BootstrapOptions Default { get; } = new();

    internal void Validate()
    {
        if (Resamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, "bootstrap needs at least one resample");
        }
        if (!(Confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "confidence must be in (0, 1)");
        }
    }
}
