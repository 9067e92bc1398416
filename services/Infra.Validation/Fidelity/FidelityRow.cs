using System.Text.Json.Serialization;

namespace Infra.Validation.Fidelity;

/// <summary>One stage-1 path at one k: store size and every figure as mean [min, max] over projection seeds.</summary>
public sealed record FidelityRow
{
    [JsonPropertyName("path")] public required string Path { get; init; }

    /// <summary>The requested k (k_in = k_out; capped per layer at d_in, d_out).</summary>
    [JsonPropertyName("k")] public required int K { get; init; }

    /// <summary>Stage-1 store bytes per example in one tracked layer at bf16 (2 k_in k_out; the largest layer).</summary>
    [JsonPropertyName("bf16_bytes_per_layer")] public required long Bf16BytesPerLayer { get; init; }

    /// <summary>The same at int8 with a fp32 scale per row (k_in k_out + 4 k_out).</summary>
    [JsonPropertyName("int8_bytes_per_layer")] public required long Int8BytesPerLayer { get; init; }

    /// <summary>bf16 bytes per example over every tracked layer.</summary>
    [JsonPropertyName("bf16_bytes_total")] public required long Bf16BytesTotal { get; init; }

    /// <summary>int8 bytes per example over every tracked layer.</summary>
    [JsonPropertyName("int8_bytes_total")] public required long Int8BytesTotal { get; init; }

    [JsonPropertyName("spearman")] public required Spread Spearman { get; init; }

    [JsonPropertyName("top_overlap")] public required Spread TopOverlap { get; init; }

    /// <summary>Per candidate share (<see cref="FidelityOptions.CandidateShares"/>): recall of the exact top-k.</summary>
    [JsonPropertyName("recall_top")] public required IReadOnlyList<Spread> RecallTop { get; init; }

    /// <summary>Per candidate share: recall of the exact bottom-k.</summary>
    [JsonPropertyName("recall_bottom")] public required IReadOnlyList<Spread> RecallBottom { get; init; }

    [JsonPropertyName("index_seconds")] public required Spread IndexSeconds { get; init; }

    [JsonPropertyName("query_seconds")] public required Spread QuerySeconds { get; init; }

    /// <summary>Every seed's figures.</summary>
    [JsonPropertyName("seeds")] public required IReadOnlyList<SeedMeasurement> Seeds { get; init; }
}
