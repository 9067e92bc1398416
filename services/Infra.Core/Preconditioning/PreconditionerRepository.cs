using System.Globalization;
using Infra.Core.Checkpoints;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Preconditioning;

/// <summary>
/// Keeps fitted preconditioners in the store: <c>preconditioners/&lt;name&gt;.safetensors</c> (float64 tensors
/// <c>&lt;layer&gt;.lambda</c>, <c>.activation_eigenvectors</c>, <c>.activation_eigenvalues</c>,
/// <c>.gradient_eigenvectors</c>, <c>.gradient_eigenvalues</c>, and <c>self_influence</c>) plus a manifest
/// entry with the kind, damping and arguments. A name already fitted with other arguments is refused
/// unless overwriting; a preconditioner fitted on fewer examples than the store now holds is refused as stale.
/// </summary>
public static class PreconditionerRepository
{
    private const string Folder = "preconditioners";

    /// <exception cref="StoreException">The name exists with other arguments and <paramref name="overwrite"/> is false.</exception>
    public static void Save(GradientStore store, FittedPreconditioner fitted, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(fitted);
        ValidateName(fitted.Name);
        var arguments = Arguments(fitted);
        if (store.Manifest.Preconditioners.TryGetValue(fitted.Name, out var existing) && !overwrite
            && !existing.Arguments.OrderBy(kv => kv.Key).SequenceEqual(arguments.OrderBy(kv => kv.Key)))
        {
            throw new StoreException(StoreErrorKind.FailedPrecondition,
                $"preconditioner '{fitted.Name}' exists with arguments {Describe(existing.Arguments)}; refitting with {Describe(arguments)} needs overwrite");
        }
        var folder = store.Folder(Folder);
        var file = fitted.Name + ".safetensors";
        var tensors = new List<SafetensorsTensor> { F64("self_influence", fitted.SelfInfluence) };
        for (var l = 0; l < fitted.Layers.Count; l++)
        {
            var layer = fitted.Layers[l];
            var prefix = l.ToString(CultureInfo.InvariantCulture);
            if (layer.Lambda is { } lambda) tensors.Add(F64(prefix + ".lambda", lambda, layer.KOut, layer.KIn));
            if (layer.ActivationEigenvectors is { } ua) tensors.Add(F64(prefix + ".activation_eigenvectors", ua, layer.KIn, layer.KIn));
            if (layer.ActivationEigenvalues is { } alpha) tensors.Add(F64(prefix + ".activation_eigenvalues", alpha));
            if (layer.GradientEigenvectors is { } us) tensors.Add(F64(prefix + ".gradient_eigenvectors", us, layer.KOut, layer.KOut));
            if (layer.GradientEigenvalues is { } sigma) tensors.Add(F64(prefix + ".gradient_eigenvalues", sigma));
        }
        var dampings = string.Join(",", fitted.Layers.Select(l => l.Damping.ToString("R", CultureInfo.InvariantCulture)));
        SafetensorsWriter.Write(Path.Combine(folder, file), tensors, new Dictionary<string, string> { ["kind"] = fitted.Kind.ToString(), ["damping"] = dampings });
        var entry = new PreconditionerEntry(fitted.Kind.ToString(), fitted.Layers.Count == 0 ? 0 : fitted.Layers[0].Damping, arguments,
            FileChecksum.Describe(folder, file), fitted.Examples);
        store.UpdateManifest(m => m with
        {
            Preconditioners = new Dictionary<string, PreconditionerEntry>(m.Preconditioners) { [fitted.Name] = entry },
        });
    }

    /// <exception cref="StoreException">Unknown name, stale (the store grew since), or a corrupt file.</exception>
    public static FittedPreconditioner Load(GradientStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!store.Manifest.Preconditioners.TryGetValue(name, out var entry))
        {
            var known = store.Manifest.Preconditioners.Keys.ToList();
            throw DomainException.NotFound($"no preconditioner '{name}' in store {store.Path} (fitted: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }
        if (entry.Examples != store.Count)
            throw new StoreException(StoreErrorKind.FailedPrecondition, $"preconditioner '{name}' was fitted on {entry.Examples} examples and the store now holds {store.Count}: refit it");
        var path = Path.Combine(store.Path, Folder, entry.File.Name);
        if (!File.Exists(path) || FileChecksum.Of(path) != entry.File.XxHash128)
            throw new StoreException(StoreErrorKind.Corrupt, $"preconditioner file {path} is missing or corrupt");
        var kind = Enum.Parse<PreconditionerKind>(entry.Kind);
        using var file = SafetensorsFile.Open(path);
        var dampings = file.Metadata["damping"].Split(',').Select(d => double.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        double[]? Read(string key) => file.Tensors.ContainsKey(key) ? ToDoubles(file.GetBytes(key)) : null;
        var layers = store.Schema.Layers.Select((layer, l) =>
        {
            var prefix = l.ToString(CultureInfo.InvariantCulture);
            return new LayerPreconditioner(kind, layer.KIn, layer.KOut,
                Read(prefix + ".activation_eigenvectors"), Read(prefix + ".activation_eigenvalues"),
                Read(prefix + ".gradient_eigenvectors"), Read(prefix + ".gradient_eigenvalues"),
                Read(prefix + ".lambda"), dampings[l]);
        }).ToList();
        var damping = entry.Arguments.TryGetValue("damping", out var d) && d != "auto" ? double.Parse(d, CultureInfo.InvariantCulture) : (double?)null;
        return new FittedPreconditioner(name, kind, damping, layers, Read("self_influence")!);
    }

    /// <summary>Throws unless the name follows <see cref="Naming.ResourceName"/>'s rule.</summary>
    public static void ValidateName(string name, string? field = null) => Naming.ResourceName.Validate("preconditioner", name, field);

    private static Dictionary<string, string> Arguments(FittedPreconditioner f) => new()
    {
        ["kind"] = f.Kind.ToString(),
        ["damping"] = f.DampingArgument?.ToString("R", CultureInfo.InvariantCulture) ?? "auto",
    };

    private static string Describe(IReadOnlyDictionary<string, string> arguments) =>
        "{" + string.Join(", ", arguments.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}")) + "}";

    private static SafetensorsTensor F64(string name, double[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new SafetensorsTensor(name, TensorDType.F64, shape.Length == 0 ? [values.Length] : shape, bytes);
    }

    private static double[] ToDoubles(ReadOnlySpan<byte> bytes)
    {
        var values = new double[bytes.Length / sizeof(double)];
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
