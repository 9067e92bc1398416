using System.Text.Json.Serialization;

namespace Infra.Validation.Fidelity;

/// <summary>One stage-1 path at one k and one projection seed against the exact reference, each figure the mean over queries.</summary>
public sealed record SeedMeasurement
{
    /// <summary>The projection seed; null for a path without a random projection.</summary>
    [JsonPropertyName("seed")] public ulong? Seed { get; init; }

    /// <summary>Spearman's correlation with the exact scores over every example.</summary>
    [JsonPropertyName("spearman")] public required double Spearman { get; init; }

    /// <summary>Share of the exact top-k among stage 1's top-k.</summary>
    [JsonPropertyName("top_overlap")] public required double TopOverlap { get; init; }

    /// <summary>Per candidate share: recall of the exact top-k within stage 1's top-N.</summary>
    [JsonPropertyName("recall_top")] public required IReadOnlyList<double> RecallTop { get; init; }

    /// <summary>Per candidate share: recall of the exact bottom-k within stage 1's bottom-N.</summary>
    [JsonPropertyName("recall_bottom")] public required IReadOnlyList<double> RecallBottom { get; init; }

    /// <summary>Seconds to index the training examples into this path's store (forward/backward, projection).</summary>
    [JsonPropertyName("index_seconds")] public required double IndexSeconds { get; init; }

    /// <summary>Seconds to score the query set from the store (query gradients, preconditioner, dot products).</summary>
    [JsonPropertyName("query_seconds")] public required double QuerySeconds { get; init; }
}
