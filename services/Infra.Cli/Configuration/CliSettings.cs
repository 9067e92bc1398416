using Infra.Client.Sharding;

namespace Infra.Cli.Configuration;

/// <summary>The CLI's resolved and validated settings (see <see cref="Settings"/> for keys and defaults).</summary>
internal sealed record CliSettings
{
    /// <summary>GradientService address, or several workers (a list, or dns:// names).</summary>
    public required ServiceAddresses GradientsAddress { get; init; }

    /// <summary>ScoringService address as the CLI reaches it: one store, or its shards (a list, or dns:// names).</summary>
    public required ServiceAddresses ScoringAddress { get; init; }

    /// <summary>ScoringService address(es) as the GradientService reaches them (forward_to), in the same shard order.</summary>
    public required ServiceAddresses ScoringForwardAddress { get; init; }

    /// <summary>AggregationService address.</summary>
    public required Uri AggregationAddress { get; init; }

    /// <summary>API key for the x-api-key header, or null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Output folder (absolute).</summary>
    public required string Output { get; init; }

    /// <summary>Projected dims of a new index.</summary>
    public required int ProjectionDim { get; init; }

    /// <summary>GradientService batch size.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The config file that was read, or null when none was.</summary>
    public string? ConfigFile { get; init; }
}
