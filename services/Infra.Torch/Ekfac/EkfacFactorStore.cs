using System.Text.Json;
using Infra.Core.Checkpoints;
using static TorchSharp.torch;
using Infra.Core.Errors;
using Infra.Core.IO;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Persists full-space EK-FAC factors as <c>&lt;root&gt;/&lt;name&gt;/factors.safetensors</c> (float64 tensors
/// named <c>&lt;layer&gt;.activation_eigenvectors</c>, <c>.activation_eigenvalues</c>,
/// <c>.gradient_eigenvectors</c>, <c>.gradient_eigenvalues</c>, <c>.lambda</c>) and <c>factors.json</c>
/// (<see cref="EkfacFactorsManifest"/>), each written atomically. Readable from Python with the
/// <c>safetensors</c> package.
/// </summary>
public sealed class EkfacFactorStore
{
    private const string TensorFile = "factors.safetensors";
    private const string ManifestFile = "factors.json";
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
        // Format 1 (or no version) differs only in spelling the chat format as the enum's name.
        return manifest is { FormatVersion: < EkfacFactorsManifest.CurrentVersion }
            ? manifest with { FormatVersion = EkfacFactorsManifest.CurrentVersion, ChatFormat = manifest.ChatFormat.ToLowerInvariant() }
            : manifest;
    }

    /// <summary>The folder of <paramref name="name"/>.</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes factors and their manifest (tensors first, so a manifest never names missing tensors).</summary>
    public void Save(EkfacFactorsManifest manifest, IReadOnlyList<EkfacLayerFactors> factors)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(factors);
        ValidateName(manifest.Name);
        var folder = PathOf(manifest.Name);
        Directory.CreateDirectory(folder);
        var tensors = new List<SafetensorsTensor>();
        foreach (var f in factors)
        {
            tensors.Add(ToSafetensors(f.LayerName + ".activation_eigenvectors", f.ActivationEigenvectors));
            tensors.Add(ToSafetensors(f.LayerName + ".activation_eigenvalues", f.ActivationEigenvalues));
            tensors.Add(ToSafetensors(f.LayerName + ".gradient_eigenvectors", f.GradientEigenvectors));
            tensors.Add(ToSafetensors(f.LayerName + ".gradient_eigenvalues", f.GradientEigenvalues));
            if (f.Lambda is { } lambda) tensors.Add(ToSafetensors(f.LayerName + ".lambda", lambda));
        }
        SafetensorsWriter.Write(Path.Combine(folder, TensorFile), tensors,
            new Dictionary<string, string> { ["model_fingerprint"] = manifest.ModelFingerprint, ["phase"] = manifest.Phase });
        // The manifest last: it is what makes the factors loadable.
        AtomicFile.WriteText(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest, Json));
    }

    /// <summary>
    /// Loads factors for use with a model and layer set; refuses factors fitted on another model or
    /// other layers, naming both sides.
    /// </summary>
    /// <remarks>The caller owns (and disposes) the returned factors.</remarks>
    /// <exception cref="FileNotFoundException">No factors of that name.</exception>
    /// <exception cref="InvalidOperationException">Mismatched model or layers.</exception>
    public (EkfacFactorsManifest Manifest, EkfacFactorSet Factors) Load(string name, string modelFingerprint, IReadOnlyList<string> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var manifest = ReadManifest(name) ?? throw DomainException.NotFound($"no EK-FAC factors named '{name}' under {Root}");
        EnsureCompatible(manifest, modelFingerprint, layers);
        using var file = SafetensorsFile.Open(Path.Combine(PathOf(name), TensorFile));
        Tensor Read(string key)
        {
            var info = file.Info(key);
            var bytes = file.GetBytes(key).ToArray();
            var data = new double[info.ElementCount];
            Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
            return tensor(data, info.Shape).DetachFromDisposeScope();
        }
        var factors = new EkfacFactorSet(layers.Select(l => new EkfacLayerFactors(l,
            Read(l + ".activation_eigenvectors"), Read(l + ".activation_eigenvalues"),
            Read(l + ".gradient_eigenvectors"), Read(l + ".gradient_eigenvalues"),
            file.Tensors.ContainsKey(l + ".lambda") ? Read(l + ".lambda") : null)));
        return (manifest, factors);
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

    private static SafetensorsTensor ToSafetensors(string name, Tensor t)
    {
        var data = t.to(ScalarType.Float64).contiguous().cpu().data<double>().ToArray();
        var bytes = new byte[data.Length * sizeof(double)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return new SafetensorsTensor(name, TensorDType.F64, t.shape, bytes);
    }
}
