using Infra.Core.Statistics;

namespace Infra.Aggregation.Rollups;

/// <summary>Settings shared by the roll-ups.</summary>
public sealed class RollupOptions
{
    /// <summary>Length of every top and bottom list (examples, scores, sequences). Defaults to 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Bootstrap settings for the confidence intervals. Defaults to <see cref="BootstrapOptions.Default"/> (B = 1000, 95 %, seed 0).</summary>
    public BootstrapOptions Bootstrap { get; init; } = BootstrapOptions.Default;

    /// <summary>The defaults.</summary>
    public static RollupOptions Default { get; } = new();

    internal void Validate()
    {
        if (TopK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top-k must be >= 0");
        }
        ArgumentNullException.ThrowIfNull(Bootstrap);
        Bootstrap.Validate();
    }
}
