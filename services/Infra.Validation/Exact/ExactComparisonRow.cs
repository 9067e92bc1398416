using System.Text.Json.Serialization;
using Infra.Core.Statistics;
using Infra.Validation.Statistics;

namespace Infra.Validation.Exact;

/// <summary>How one approximation ranks the training examples against exact influence: per-query Spearman and top-k overlap, averaged over queries.</summary>
public sealed record ExactComparisonRow
{
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("projection")] public required string Projection { get; init; }
    [JsonPropertyName("spearman")] public required MeanInterval Spearman { get; init; }
    [JsonPropertyName("top_k_overlap")] public required MeanInterval TopKOverlap { get; init; }
}
