using System.Text.Json.Serialization;

namespace Infra.Validation.Fidelity;

/// <summary>Stage 2 (exact recomputation) against the independent reference, and what it cost on this machine.</summary>
public sealed record StageTwoResult
{
    /// <summary>Largest |stage 2 − reference| over every (query, example), relative to the largest |reference| score.</summary>
    [JsonPropertyName("max_relative_error")] public required double MaxRelativeError { get; init; }

    /// <summary>Largest |Σ_t token scores − example score|, relative to the largest |reference| score.</summary>
    [JsonPropertyName("token_sum_relative_error")] public required double TokenSumRelativeError { get; init; }

    /// <summary>Seconds for the full-space preconditioned query gradients of the whole query set.</summary>
    [JsonPropertyName("query_seconds")] public required double QuerySeconds { get; init; }

    /// <summary>Seconds to recompute and score every training example (example scores only).</summary>
    [JsonPropertyName("example_seconds")] public required double ExampleSeconds { get; init; }

    /// <summary><see cref="ExampleSeconds"/> per example, for every query of the set at once.</summary>
    [JsonPropertyName("seconds_per_example")] public required double SecondsPerExample { get; init; }

    /// <summary>Seconds per example for token scores of every query (the token route).</summary>
    [JsonPropertyName("token_seconds_per_example")] public required double TokenSecondsPerExample { get; init; }
}
