namespace Infra.Cli.Configuration;

/// <summary>Every setting the CLI reads, with its defaults (the README's table is this list).</summary>
internal static class Settings
{
    /// <summary>
    /// The GradientService, or several GradientService workers: a comma-separated list of http(s):// addresses and
    /// dns:///NAME:PORT names (one worker per address the name resolves to). Indexing and stage 2 are spread over the
    /// workers; an EK-FAC fit goes to the first that serves, query gradients to the first. Defaults to http://127.0.0.1:5001.
    /// </summary>
    public static readonly Setting GradientsAddress = new("Gradients:Address", "--gradients-address", "http://127.0.0.1:5001",
        "GradientService address, or several workers: a comma-separated list and/or dns:///NAME:PORT");

    /// <summary>
    /// The ScoringService, or the shards of a sharded store: a comma-separated list of http(s):// addresses and
    /// dns:///NAME:PORT names (one shard per address the name resolves to), in shard order. Defaults to http://127.0.0.1:5002.
    /// </summary>
    public static readonly Setting ScoringAddress = new("Scoring:Address", "--scoring-address", "http://127.0.0.1:5002",
        "ScoringService address, or its shards: a comma-separated list and/or dns:///NAME:PORT");

    /// <summary>
    /// The ScoringService as the GradientService reaches it (forward_to), when that differs from what the CLI uses
    /// (containers, remote GPU nodes); with shards, as many and in the same order. Defaults to empty: the same as
    /// <see cref="ScoringAddress"/>.
    /// </summary>
    public static readonly Setting ScoringForwardAddress = new("Scoring:ForwardAddress", "--forward-to", null,
        "ScoringService address(es) as the GradientService reaches them, shard for shard (default: Scoring:Address)");

    /// <summary>The AggregationService. Defaults to http://127.0.0.1:5003.</summary>
    public static readonly Setting AggregationAddress = new("Aggregation:Address", "--aggregation-address", "http://127.0.0.1:5003", "AggregationService address");

    /// <summary>Sent as the x-api-key header on every call when set. Defaults to empty (no header).</summary>
    public static readonly Setting ApiKey = new("ApiKey", "--api-key", null, "API key sent as x-api-key (default: none)");

    /// <summary>Where results (score files) go. Defaults to artifacts/infra.</summary>
    public static readonly Setting Output = new("Output", "--out", Path.Combine("artifacts", "infra"), "output folder for results");

    /// <summary>Projected dims k_in = k_out of a new index. Defaults to 32.</summary>
    public static readonly Setting ProjectionDim = new("ProjectionDim", "--projection-dim", "64", "projected dims k_in = k_out of a new index (64: 8 KiB per layer per example in bf16)");

    /// <summary>Examples per forward/backward batch on the GradientService. Defaults to 8.</summary>
    public static readonly Setting BatchSize = new("BatchSize", "--batch-size", "8", "examples per GradientService batch");

    /// <summary>All of them, in the order the README lists them.</summary>
    public static readonly IReadOnlyList<Setting> All = [GradientsAddress, ScoringAddress, ScoringForwardAddress, AggregationAddress, ApiKey, Output, ProjectionDim, BatchSize];
}
