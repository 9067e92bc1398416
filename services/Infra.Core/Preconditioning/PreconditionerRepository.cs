using System.Globalization;
using Infra.Core.Checkpoints;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Preconditioning;

/// <summary>
/// Keeps fitted preconditioners in the store: <c>preconditioners/&lt;name&gt;.&lt;fit id&gt;.safetensors</c> (older stores: <c>&lt;name&gt;.safetensors</c>) (float64 tensors
/// <c>&lt;layer&gt;.lambda</c>, <c>.activation_eigenvectors</c>, <c>.activation_eigenvalues</c>,
/// <c>.gradient_eigenvectors</c>, <c>.gradient_eigenvalues</c>, and <c>self_influence</c>) plus a manifest
/// entry with the kind, damping and arguments. A name already fitted with other arguments is refused
/// unless overwriting; a preconditioner fitted on fewer examples than the store now holds is refused as stale.
/// </summary>
public static class PreconditionerRepository
{
    private const string Folder = "preconditioners";

    /// <summary>
    /// Writes the tensors under a fresh file name (outside any lock), then commits the manifest entry naming
    /// them; the name's previous file is removed after the commit. On failure the new file is removed and the
    /// manifest (on disk and in memory) is as it was.
    /// </summary>
    /// <exception cref="StoreException">The name exists with other arguments and <paramref name="overwrite"/> is false
    /// (checked again at commit, against fits committed meanwhile); disk full (<see cref="StoreErrorKind.ResourceExhausted"/>).</exception>
    /// <exception cref="IOException">Another write failure.</exception>
    public static void Save(GradientStore store, FittedPreconditioner fitted, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(fitted);
        ValidateName(fitted.Name);
        var arguments = Arguments(fitted);
        RefuseOtherArguments(store.Manifest, fitted.Name, arguments, overwrite);
        var folder = store.Folder(Folder);
        // A fresh name per fit: a reader holding the previous manifest entry still finds the file its checksum describes.
        var file = $"{fitted.Name}.{Guid.NewGuid():N}.safetensors";
        var path = Path.Combine(folder, file);
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
        string? previous = null;
        try
        {
            SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["kind"] = fitted.Kind.ToString(), ["damping"] = dampings },
                store.Options.BeforeWrite, StoreWriteStep.Preconditioner);
            var entry = new PreconditionerEntry(fitted.Kind, fitted.Layers.Select(l => l.Damping).ToList(), arguments,
                FileChecksum.Describe(folder, file), fitted.Examples);
            store.UpdateManifest(m =>
            {
                RefuseOtherArguments(m, fitted.Name, arguments, overwrite);
                previous = m.Preconditioners.GetValueOrDefault(fitted.Name)?.File.Name;
                return m with { Preconditioners = new Dictionary<string, PreconditionerEntry>(m.Preconditioners) { [fitted.Name] = entry } };
            });
        }
        catch (Exception ex)
        {
            GradientStore.TryDelete(path);
            if (StoreIo.Translate(ex, store.Path, $"preconditioner '{fitted.Name}'") is { } translated) throw translated;
            throw;
        }
        if (previous is not null && previous != file) GradientStore.TryDelete(Path.Combine(folder, previous));
    }

    /// <exception cref="StoreException">Unknown name, stale (the store grew since), or a corrupt file.</exception>
    public static FittedPreconditioner Load(IStoreView store, string name)
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
        var kind = entry.Kind;
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

    private static void RefuseOtherArguments(StoreManifest manifest, string name, Dictionary<string, string> arguments, bool overwrite)
    {
        if (manifest.Preconditioners.TryGetValue(name, out var existing) && !overwrite
            && !existing.Arguments.OrderBy(kv => kv.Key).SequenceEqual(arguments.OrderBy(kv => kv.Key)))
        {
            throw new StoreException(StoreErrorKind.FailedPrecondition,
                $"preconditioner '{name}' exists with arguments {Describe(existing.Arguments)}; refitting with {Describe(arguments)} needs overwrite");
        }
    }

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
