using System.Text.Json;
using Infra.Core.Checkpoints;
using Infra.Core.IO;
using static TorchSharp.torch;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Writes one fit's factors into a factors folder a group of layers at a time (<see cref="WriteGroup"/>: one safetensors
/// file per group, named after this fit so an older fit's files stay intact), then makes them the folder's factors
/// with one atomic manifest write (<see cref="Commit"/>) and deletes the files no manifest names any more. A writer
/// disposed before its commit deletes the files it wrote, so a failed fit leaves the previous factors as they were.
/// </summary>
/// <remarks>
/// Tensor names: <c>&lt;layer&gt;.gradient_eigenvectors</c>, <c>.gradient_eigenvalues</c>, <c>.lambda</c> per layer, and
/// <c>&lt;layer&gt;.activation_eigenvectors</c>, <c>.activation_eigenvalues</c> only under the layer that owns an input
/// (<see cref="EkfacFactorsManifest.SharedActivations"/> names the others).
/// </remarks>
public sealed class EkfacFactorWriter : IDisposable
{
    private static readonly JsonSerializerOptions Json = ProjectJson.Options;
    private readonly string _folder;
    private readonly string _fitId = Guid.NewGuid().ToString("N")[..8];
    private readonly EkfacStorageType _storage;
    private readonly List<EkfacFactorsFile> _files = [];
    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private bool _committed;

    internal EkfacFactorWriter(string folder, EkfacStorageType storage)
    {
        _folder = folder;
        _storage = storage;
        Directory.CreateDirectory(folder);
    }

    /// <summary>The files written so far, in order.</summary>
    public IReadOnlyList<EkfacFactorsFile> Files => _files;

    /// <summary>Writes one group's factors (layers that share an input must be in the same group) as one file.</summary>
    public void WriteGroup(IReadOnlyList<EkfacLayerFactors> group, string modelFingerprint, string phase)
    {
        ArgumentNullException.ThrowIfNull(group);
        ObjectDisposedException.ThrowIf(_committed, this);
        var owners = EkfacInputSites.Owners(group.Select(f => f.LayerName));
        var file = new EkfacFactorsFile { File = $"factors-{_fitId}-{_files.Count:D3}.safetensors", Layers = group.Select(f => f.LayerName).ToList() };
        using var scope = NewDisposeScope();
        var tensors = new List<SafetensorsTensor>();
        foreach (var f in group)
        {
            if (owners.TryGetValue(f.LayerName, out var owner))
            {
                _shared[f.LayerName] = owner;
            }
            else
            {
                tensors.Add(Stored(f.LayerName + ".activation_eigenvectors", f.ActivationEigenvectors));
                tensors.Add(Stored(f.LayerName + ".activation_eigenvalues", f.ActivationEigenvalues));
            }
            tensors.Add(Stored(f.LayerName + ".gradient_eigenvectors", f.GradientEigenvectors));
            tensors.Add(Stored(f.LayerName + ".gradient_eigenvalues", f.GradientEigenvalues));
            if (f.Lambda is { } lambda) tensors.Add(Stored(f.LayerName + ".lambda", lambda));
        }
        SafetensorsWriter.Write(Path.Combine(_folder, file.File), tensors, new Dictionary<string, string>
        {
            ["model_fingerprint"] = modelFingerprint,
            ["phase"] = phase,
            ["storage_dtype"] = StorageName(_storage),
        });
        _files.Add(file);
    }

    /// <summary>
    /// Writes <paramref name="manifest"/> (with this fit's files, shared activations and storage dtype) atomically, then
    /// deletes the tensor files it does not name (an older fit's, or format 2's single file). Returns the manifest written.
    /// </summary>
    public EkfacFactorsManifest Commit(EkfacFactorsManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ObjectDisposedException.ThrowIf(_committed, this);
        var written = manifest with
        {
            FormatVersion = EkfacFactorsManifest.CurrentVersion,
            Files = _files.ToList(),
            SharedActivations = new Dictionary<string, string>(_shared, StringComparer.Ordinal),
            StorageDType = StorageName(_storage),
        };
        // The manifest last: it is what makes the new files the factors, in one rename.
        AtomicFile.WriteText(Path.Combine(_folder, EkfacFactorStore.ManifestFile), JsonSerializer.Serialize(written, Json));
        _committed = true;
        var kept = _files.Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.EnumerateFiles(_folder, "factors*.safetensors").Where(p => !kept.Contains(Path.GetFileName(p))))
            File.Delete(stale);
        return written;
    }

    /// <summary>The <see cref="EkfacFactorsManifest.StorageDType"/> value of <paramref name="storage"/>.</summary>
    public static string StorageName(EkfacStorageType storage) =>
        storage == EkfacStorageType.Float32 ? EkfacFactorsManifest.Float32 : EkfacFactorsManifest.Float64;

    /// <summary>Deletes this fit's files unless it was committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _committed = true;
        foreach (var f in _files)
            File.Delete(Path.Combine(_folder, f.File));
    }

    // The tensor as stored: a view of its own bytes in float64, a rounded copy (freed with the scope) in float32.
    private SafetensorsTensor Stored(string name, Tensor t)
    {
        var (type, dtype) = _storage == EkfacStorageType.Float32 ? (ScalarType.Float32, TensorDType.F32) : (ScalarType.Float64, TensorDType.F64);
        var stored = t.to(type).cpu().contiguous();
        // Pieces: a float64 basis of a 7B model's 18,944-wide intermediate is 2.9 GB, more than one span holds.
        return SafetensorsTensor.FromParts(name, dtype, t.shape, TensorBytes.Pieces(stored));
    }
}
