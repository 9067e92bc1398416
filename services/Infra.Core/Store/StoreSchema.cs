using Infra.Core.Compression;
using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>
/// What every example in a store shares, and what incoming data must match: the model, the tracked
/// layers and their projected dims, the projection, the storage dtype, and whether per-token factors are kept.
/// </summary>
public sealed record StoreSchema
{
    public required string ModelFingerprint { get; init; }
    public required IReadOnlyList<StoreLayer> Layers { get; init; }
    public bool ProjectionIdentity { get; init; }
    public ulong ProjectionSeed { get; init; }
    /// <summary>Storage dtype of gradients and factors. Defaults to bf16.</summary>
    public FactorDType DType { get; init; } = FactorDType.BFloat16;
    /// <summary>Keep per-token factors (needed for token-level scoring and projected K-FAC/EK-FAC). Defaults to false.</summary>
    public bool TokenFactors { get; init; }
    /// <summary>
    /// How the examples' difficulty levels were obtained, saved with the store. Defaults to null: none given, which
    /// means levels given as integers in the corpus (or no difficulty at all), as every store before schemes were kept.
    /// Not part of <see cref="Mismatch"/>: see <see cref="DifficultyMismatch"/>.
    /// </summary>
    public DifficultyScheme? Difficulty { get; init; }

    /// <summary>Total length of an example's gradient over all layers.</summary>
    public long GradientLength => Layers.Sum(l => (long)l.GradientLength);

    /// <summary>A sentence naming the first difference from <paramref name="incoming"/>, or null when they match.</summary>
    public string? Mismatch(StoreSchema incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (ModelFingerprint != incoming.ModelFingerprint)
            return $"the store holds gradients of model {Short(ModelFingerprint)}, the incoming data is from model {Short(incoming.ModelFingerprint)}";
        if (Layers.Count != incoming.Layers.Count)
            return $"the store tracks {Layers.Count} layers, the incoming data {incoming.Layers.Count}";
        for (var i = 0; i < Layers.Count; i++)
        {
            if (Layers[i] != incoming.Layers[i])
                return $"layer {i}: the store has {Describe(Layers[i])}, the incoming data {Describe(incoming.Layers[i])}";
        }
        if (ProjectionIdentity != incoming.ProjectionIdentity || (!ProjectionIdentity && ProjectionSeed != incoming.ProjectionSeed))
            return $"the store's projection is {Projection(this)}, the incoming data's is {Projection(incoming)}";
        if (DType != incoming.DType)
            return $"the store keeps {DType}, the incoming data asks for {incoming.DType}";
        if (TokenFactors && !incoming.TokenFactors)
            return "the store keeps per-token factors, the incoming data has none";
        return null;
    }

    /// <summary>
    /// A sentence naming both difficulty schemes when <paramref name="incoming"/>'s differs from this store's, or null
    /// when they are the same. The rule is strict: no scheme matches only no scheme, so the meaning of the stored
    /// levels never changes under them (a store without one keeps taking data without one, as before).
    /// </summary>
    public string? DifficultyMismatch(StoreSchema incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return DifficultySchemes.Same(Difficulty, incoming.Difficulty)
            ? null
            : $"the store's difficulty scheme is {DifficultySchemes.Describe(Difficulty)}; the incoming data's is {DifficultySchemes.Describe(incoming.Difficulty)}";
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] + "…" : fingerprint;

    private static string Describe(StoreLayer l) => $"{l.Name} (d_in {l.DIn}, d_out {l.DOut}, k_in {l.KIn}, k_out {l.KOut})";

    private static string Projection(StoreSchema s) => s.ProjectionIdentity ? "identity" : $"Gaussian with seed {s.ProjectionSeed}";
}
