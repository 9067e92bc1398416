using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.IO;
using Infra.Core.Compression;
using Infra.Core.Metadata;
using Infra.Core.Preconditioning;

namespace Infra.Core.Store;

/// <summary>
/// <c>manifest.json</c>: the schema, the committed shards with their checksums, and the fitted
/// preconditioners. The only mutable file of a store; replaced atomically on every commit.
/// Format 2: every key snake_case, enums as lower-case strings (<c>"bfloat16"</c>, <c>"ekfac"</c>), a
/// preconditioner's damping per layer as an array. Format 1 (mixed casing, the layer list written twice, one
/// damping) is read through <see cref="StoreManifestMigration"/> and written as today's format at the next commit.
/// Format 3 adds <c>difficulty</c>, the store's difficulty scheme (absent or null: none, as in format 2, which reads
/// unchanged); it is a new version so that an older build refuses the store instead of dropping the scheme at its
/// next commit.
/// </summary>
public sealed record StoreManifest
{
    /// <summary>Format version this code writes; 1 to 3 are read.</summary>
    public const int CurrentVersion = 3;

    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentVersion;
    [JsonPropertyName("model_fingerprint")] public required string ModelFingerprint { get; init; }
    [JsonPropertyName("layers")] public required IReadOnlyList<StoreLayer> Layers { get; init; }
    [JsonPropertyName("projection_identity")] public bool ProjectionIdentity { get; init; }
    [JsonPropertyName("projection_seed")] public ulong ProjectionSeed { get; init; }
    [JsonPropertyName("dtype")] public FactorDType DType { get; init; }
    [JsonPropertyName("token_factors")] public bool TokenFactors { get; init; }
    [JsonPropertyName("difficulty")] public DifficultyScheme? Difficulty { get; init; }
    [JsonPropertyName("shards")] public IReadOnlyList<ShardEntry> Shards { get; init; } = [];
    [JsonPropertyName("preconditioners")] public IReadOnlyDictionary<string, PreconditionerEntry> Preconditioners { get; init; } =
        new Dictionary<string, PreconditionerEntry>();

    /// <summary>The schema part (not written: its fields are the manifest's own).</summary>
    [JsonIgnore]
    public StoreSchema Schema => new()
    {
        ModelFingerprint = ModelFingerprint,
        Layers = Layers,
        ProjectionIdentity = ProjectionIdentity,
        ProjectionSeed = ProjectionSeed,
        DType = DType,
        TokenFactors = TokenFactors,
        Difficulty = Difficulty,
    };

    /// <summary>A fresh manifest for <paramref name="schema"/>.</summary>
    public static StoreManifest For(StoreSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new StoreManifest
        {
            ModelFingerprint = schema.ModelFingerprint,
            Layers = schema.Layers,
            ProjectionIdentity = schema.ProjectionIdentity,
            ProjectionSeed = schema.ProjectionSeed,
            DType = schema.DType,
            TokenFactors = schema.TokenFactors,
            Difficulty = schema.Difficulty,
        };
    }

    // The project's one JSON spelling: snake_case keys, lower-case enum words.
    internal static JsonSerializerOptions Json => ProjectJson.Options;
}

/// <summary>A committed shard: its files with sizes and XxHash128 checksums, and its counts.</summary>
public sealed record ShardEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("examples")] int Examples,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("files")] IReadOnlyList<ShardFile> Files);

/// <summary>One file of a shard.</summary>
public sealed record ShardFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("xxhash128")] string XxHash128);

/// <summary>A fitted preconditioner: its kind (written in lower case, e.g. "ekfac"), the damping of each layer, the arguments used, and where its tensors are.</summary>
public sealed record PreconditionerEntry(
    [property: JsonPropertyName("kind")] PreconditionerKind Kind,
    [property: JsonPropertyName("damping")] IReadOnlyList<double> Damping,
    [property: JsonPropertyName("arguments")] IReadOnlyDictionary<string, string> Arguments,
    [property: JsonPropertyName("file")] ShardFile File,
    [property: JsonPropertyName("examples")] long Examples);
