using System.Text.Json.Serialization;

namespace Infra.Torch.Ekfac;

/// <summary>
/// <c>factors.json</c> beside <c>factors.safetensors</c>: the arguments and the model the factors were
/// fitted with, so that a mismatched use is refused.
/// </summary>
public sealed record EkfacFactorsManifest
{
    /// <summary>The format this code writes: 2. Format 1 spelled <see cref="ChatFormat"/> as the enum's name ("Qwen25").</summary>
    public const int CurrentVersion = 2;

    /// <summary>Format version of the folder (<see cref="CurrentVersion"/>; format 1 is read and migrated).</summary>
    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentVersion;
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("model_fingerprint")] public required string ModelFingerprint { get; init; }
    /// <summary>Tracked layer names, in index order.</summary>
    [JsonPropertyName("layers")] public required IReadOnlyList<string> Layers { get; init; }
    /// <summary>"covariance" after pass 1, "eigenvalue_correction" after pass 2.</summary>
    [JsonPropertyName("phase")] public required string Phase { get; init; }
    [JsonPropertyName("covariance_examples")] public long CovarianceExamples { get; init; }
    [JsonPropertyName("covariance_tokens")] public long CovarianceTokens { get; init; }
    [JsonPropertyName("lambda_examples")] public long LambdaExamples { get; init; }
    /// <summary>Chat format (its lower-case name, "qwen25" or "plain") and truncation used to encode the fitting corpus.</summary>
    [JsonPropertyName("chat_format")] public required string ChatFormat { get; init; }
    [JsonPropertyName("truncate")] public bool Truncate { get; init; }
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>The phase value after pass 1.</summary>
    public const string CovariancePhase = "covariance";

    /// <summary>The phase value after pass 2.</summary>
    public const string CorrectedPhase = "eigenvalue_correction";
}
