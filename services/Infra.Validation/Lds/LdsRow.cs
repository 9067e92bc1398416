using System.Text.Json.Serialization;
using Infra.Core.Statistics;
using Infra.Validation.Influence;
using Infra.Validation.Statistics;

namespace Infra.Validation.Lds;

/// <summary>The LDS of one method under one projection: per query, and their mean with a bootstrap interval over queries.</summary>
public sealed record LdsRow
{
    [JsonPropertyName("projection")] public required string Projection { get; init; }
    [JsonPropertyName("method")] public required InfluenceMethod Method { get; init; }
    [JsonPropertyName("lds")] public required MeanInterval Lds { get; init; }
    /// <summary>Spearman between predicted and actual f across subsets, per query (NaN where f did not vary).</summary>
    [JsonPropertyName("per_query")] public required IReadOnlyList<double> PerQuery { get; init; }
}
