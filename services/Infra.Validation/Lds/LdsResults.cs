using System.Text.Json.Serialization;
using Infra.Core.Statistics;
using Infra.Validation.Statistics;

namespace Infra.Validation.Lds;

/// <summary>
/// What an LDS run found (<c>results.json</c>): the LDS of every method x projection, the retraining-noise
/// ceiling, and the run's size and compute time.
/// </summary>
public sealed record LdsResults
{
    [JsonPropertyName("options")] public required LdsOptions Options { get; init; }
    [JsonPropertyName("training_examples")] public required int TrainingExamples { get; init; }
    [JsonPropertyName("queries")] public required int Queries { get; init; }
    [JsonPropertyName("subsets")] public required int Subsets { get; init; }
    [JsonPropertyName("parameters")] public required long Parameters { get; init; }
    [JsonPropertyName("tracked_parameters")] public required long TrackedParameters { get; init; }
    /// <summary>Mean f over queries on the full-data model and, averaged, on the subset models.</summary>
    [JsonPropertyName("full_model_mean_f")] public required double FullModelMeanF { get; init; }
    [JsonPropertyName("subset_mean_f")] public required double SubsetMeanF { get; init; }
    /// <summary>Mean over queries of the standard deviation of f across subsets: the signal LDS ranks.</summary>
    [JsonPropertyName("subset_f_std")] public required double SubsetFStd { get; init; }
    [JsonPropertyName("rows")] public required IReadOnlyList<LdsRow> Rows { get; init; }
    /// <summary>
    /// Spearman, per query across the repeated subsets, between f after training with the run's data order and with
    /// another one: how far retraining noise alone lets any predictor go. Null without noise repeats.
    /// </summary>
    [JsonPropertyName("noise_ceiling")] public MeanInterval? NoiseCeiling { get; init; }
    [JsonPropertyName("noise_subsets")] public int NoiseSubsets { get; init; }
    /// <summary>Compute seconds summed over every invocation that contributed (training, scoring, measuring).</summary>
    [JsonPropertyName("compute_seconds")] public required double ComputeSeconds { get; init; }
}
