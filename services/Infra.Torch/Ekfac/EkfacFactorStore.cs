using System.Text.Json;
using static TorchSharp.torch;
using Infra.Core.Errors;
using Infra.Core.IO;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Persists full-space EK-FAC factors under <c>&lt;root&gt;/&lt;name&gt;/</c>: <c>factors.json</c>
/// (<see cref="EkfacFactorsManifest"/>) and, in format 3, one safetensors file per group of layers
/// (<see cref="EkfacFactorWriter"/>; float64 or float32 tensors named <c>&lt;layer&gt;.activation_eigenvectors</c>,
/// <c>.activation_eigenvalues</c>, <c>.gradient_eigenvectors</c>, <c>.gradient_eigenvalues</c>, <c>.lambda</c>), each
/// written atomically. Formats 1 and 2 (one <c>factors.safetensors</c> for every layer) are read as they are. Factors
/// are read one layer at a time (<see cref="Open"/>, <see cref="OpenStreamed"/>). Readable from Python with the
/// <c>safetensors</c> package.
/// </summary>
public sealed class EkfacFactorStore
{
    /// <summary>The manifest's file name inside a factors folder.</summary>
    public const string ManifestFile = "factors.json";
    private static readonly JsonSerializerOptions Json = ProjectJson.Options;

    public EkfacFactorStore(string root) => Root = root ?? throw new ArgumentNullException(nameof(root));

    /// <summary>The folder holding one sub-folder per factors name.</summary>
    public string Root { get; }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> follows <see cref="Core.Naming.ResourceName"/>'s rule (no path tricks).</summary>
    public static void ValidateName(string name, string? field = null) => Core.Naming.ResourceName.Validate("factors", name, field);

    /// <summary>The manifest of <paramref name="name"/>, or null when none is stored.</summary>
    public EkfacFactorsManifest? ReadManifest(string name)
    {
        ValidateName(name);
        var path = Path.Combine(Root, name, ManifestFile);
        if (!File.Exists(path)) return null;
        var manifest = JsonSerializer.Deserialize<EkfacFactorsManifest>(File.ReadAllText(path), Json);
        // Format 1 (or no version) differs from 2 only in spelling the chat format as the enum's name; format 2 from 3
        // only in its single tensor file, which Files = null stands for.
        return manifest is { FormatVersion: < 2 }
            ? manifest with { FormatVersion = 2, ChatFormat = manifest.ChatFormat.ToLowerInvariant() }
            : manifest;
    }

    /// <summary>The folder of <paramref name="name"/>.</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Starts writing new factors for <paramref name="name"/>, a group of layers at a time; see <see cref="EkfacFactorWriter"/>.</summary>
    public EkfacFactorWriter BeginWrite(string name, EkfacStorageType storage = EkfacStorageType.Float64)
    {
        ValidateName(name);
        return new EkfacFactorWriter(PathOf(name), storage);
    }

    /// <summary>
    /// Writes factors held in memory and their manifest as one group file (tensors first, so a manifest never names
    /// missing tensors); returns the manifest written.
    /// </summary>
    public EkfacFactorsManifest Save(EkfacFactorsManifest manifest, IReadOnlyList<EkfacLayerFactors> factors, EkfacStorageType storage = EkfacStorageType.Float64)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(factors);
        using var writer = BeginWrite(manifest.Name, storage);
        writer.WriteGroup(factors, manifest.ModelFingerprint, manifest.Phase);
        return writer.Commit(manifest);
    }

    /// <summary>
    /// Opens factors for use with a model and layer set, to be read one layer at a time; refuses factors fitted on
    /// another model or other layers, naming both sides.
    /// </summary>
    /// <exception cref="DomainException">No factors of that name (NotFound), or a mismatched model or layers (FailedPrecondition).</exception>
    public EkfacFactorReader Open(string name, string modelFingerprint, IReadOnlyList<string> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var manifest = ReadManifest(name) ?? throw DomainException.NotFound($"no EK-FAC factors named '{name}' under {Root}");
        EnsureCompatible(manifest, modelFingerprint, layers);
        return new EkfacFactorReader(PathOf(name), manifest);
    }

    /// <summary>As <see cref="Open"/>, as a list that holds one layer at a time (<see cref="EkfacStreamedFactors"/>); the caller disposes it.</summary>
    public EkfacStreamedFactors OpenStreamed(string name, string modelFingerprint, IReadOnlyList<string> layers) =>
        new(Open(name, modelFingerprint, layers));

    /// <summary>
    /// Loads every layer's factors at once (for small models; <see cref="OpenStreamed"/> bounds memory by one layer);
    /// refuses factors fitted on another model or other layers, naming both sides.
    /// </summary>
    /// <remarks>The caller owns (and disposes) the returned factors.</remarks>
    /// <exception cref="DomainException">No factors of that name, or a mismatched model or layers.</exception>
    public (EkfacFactorsManifest Manifest, EkfacFactorSet Factors) Load(string name, string modelFingerprint, IReadOnlyList<string> layers)
    {
        var reader = Open(name, modelFingerprint, layers);
        return (reader.Manifest, reader.ReadMany(Enumerable.Range(0, reader.Layers.Count)));
    }

    /// <summary>Throws unless <paramref name="manifest"/> was fitted on this model and these layers.</summary>
    public static void EnsureCompatible(EkfacFactorsManifest manifest, string modelFingerprint, IReadOnlyList<string> layers)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(layers);
        if (manifest.ModelFingerprint != modelFingerprint)
            throw DomainException.FailedPrecondition(
                $"EK-FAC factors '{manifest.Name}' were fitted on model {Short(manifest.ModelFingerprint)}, this model is {Short(modelFingerprint)}");
        if (!manifest.Layers.SequenceEqual(layers))
            throw DomainException.FailedPrecondition(
                $"EK-FAC factors '{manifest.Name}' cover layers [{string.Join(", ", manifest.Layers)}], the tracked layers are [{string.Join(", ", layers)}]");
    }

    // The first 12 hex digits name a model well enough in a message; a shorter (hand-edited) fingerprint is shown whole.
    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] + "…" : fingerprint;
}
