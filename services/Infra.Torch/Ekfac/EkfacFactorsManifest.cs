using System.Text.Json.Serialization;

namespace Infra.Torch.Ekfac;

/// <summary>
/// <c>factors.json</c>: the arguments and the model the factors were fitted with, so that a mismatched use is refused,
/// and (format 3) the tensor files that hold them, one per group of layers, and how they are stored.
/// </summary>
public sealed record EkfacFactorsManifest
{
    /// <summary>
    /// The format this code writes: 3, one tensor file per group of layers (<see cref="Files"/>). Format 2 kept every
    /// layer in one <c>factors.safetensors</c> (read as it is); format 1 also spelled <see cref="ChatFormat"/> as the
    /// enum's name ("Qwen25").
    /// </summary>
    public const int CurrentVersion = 3;

    /// <summary>The single tensor file of formats 1 and 2.</summary>
    public const string SingleFile = "factors.safetensors";

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
    /// <summary>
    /// The tensor files and the layers each holds, in layer order; null for formats 1 and 2 (every layer in
    /// <see cref="SingleFile"/>).
    /// </summary>
    [JsonPropertyName("files")] public IReadOnlyList<EkfacFactorsFile>? Files { get; init; }
    /// <summary>
    /// Layers whose activation eigenbasis (<c>U_A</c>, <c>α</c>) is stored once under another layer's name because both
    /// read the same input (gate_proj and up_proj): layer -> that layer. Empty for formats 1 and 2.
    /// </summary>
    [JsonPropertyName("shared_activations")] public IReadOnlyDictionary<string, string> SharedActivations { get; init; } = new Dictionary<string, string>();
    /// <summary>How the tensors are stored: "float64" (the default, and formats 1 and 2) or "float32".</summary>
    [JsonPropertyName("storage_dtype")] public string StorageDType { get; init; } = Float64;
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>The <see cref="StorageDType"/> of float64 storage.</summary>
    public const string Float64 = "float64";

    /// <summary>The <see cref="StorageDType"/> of float32 storage.</summary>
    public const string Float32 = "float32";

    /// <summary>The file holding <paramref name="layer"/>'s tensors.</summary>
    public string FileOf(string layer) =>
        Files is null ? SingleFile : Files.FirstOrDefault(f => f.Layers.Contains(layer))?.File
            ?? throw new InvalidOperationException($"EK-FAC factors '{Name}' list no file for layer '{layer}'");

    /// <summary>The layer under whose name <paramref name="layer"/>'s activation eigenbasis is stored (itself unless shared).</summary>
    public string ActivationOwnerOf(string layer) => SharedActivations.TryGetValue(layer, out var owner) ? owner : layer;

    /// <summary>The phase value after pass 1.</summary>
    public const string CovariancePhase = "covariance";

    /// <summary>The phase value after pass 2.</summary>
    public const string CorrectedPhase = "eigenvalue_correction";
}
