using System.Text.Json.Serialization;

namespace Infra.Validation.Fidelity;

/// <summary>The whole fidelity run: the setting, the reference's cost, and a row per stage-1 path and k.</summary>
public sealed record FidelityResults
{
    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = 1;

    [JsonPropertyName("options")] public required FidelityOptions Options { get; init; }

    [JsonPropertyName("examples")] public required IReadOnlyList<string> Examples { get; init; }

    [JsonPropertyName("queries")] public required IReadOnlyList<string> Queries { get; init; }

    [JsonPropertyName("tracked_layers")] public required IReadOnlyList<string> TrackedLayers { get; init; }

    /// <summary>Candidate counts N of the recall curves, one per <see cref="FidelityOptions.CandidateShares"/>.</summary>
    [JsonPropertyName("candidate_counts")] public required IReadOnlyList<int> CandidateCounts { get; init; }

    /// <summary>Seconds to fit full-space EK-FAC on the training examples (covariance and eigenvalue-correction passes).</summary>
    [JsonPropertyName("fit_seconds")] public required double FitSeconds { get; init; }

    /// <summary>Seconds for the exact reference given the fitted factors.</summary>
    [JsonPropertyName("exact_seconds")] public required double ExactSeconds { get; init; }

    /// <summary>Stage 2 (exact recomputation) against the reference, and its cost.</summary>
    [JsonPropertyName("stage_two")] public required StageTwoResult StageTwo { get; init; }

    [JsonPropertyName("rows")] public required IReadOnlyList<FidelityRow> Rows { get; init; }

    [JsonPropertyName("cpu")] public required string Cpu { get; init; }

    [JsonPropertyName("wall_seconds")] public double WallSeconds { get; init; }
}
