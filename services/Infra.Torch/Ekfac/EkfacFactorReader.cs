using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Reads a stored factors entry one layer at a time, so applying factors holds one layer's tensors however deep the
/// model: format 3's per-group files (a shared activation eigenbasis read from the layer that owns it) and formats 1
/// and 2's single <c>factors.safetensors</c> alike. Every tensor comes back as float64 on the CPU whatever the storage
/// dtype, so float32 storage changes only the rounding, never the arithmetic of a precondition.
/// </summary>
public sealed class EkfacFactorReader
{
    private readonly string _folder;

    internal EkfacFactorReader(string folder, EkfacFactorsManifest manifest)
    {
        _folder = folder;
        Manifest = manifest;
    }

    /// <summary>The entry's manifest.</summary>
    public EkfacFactorsManifest Manifest { get; }

    /// <summary>The layers, in order (<see cref="EkfacFactorsManifest.Layers"/>).</summary>
    public IReadOnlyList<string> Layers => Manifest.Layers;

    /// <summary>The layer whose stored activation eigenbasis layer <paramref name="index"/> uses (itself unless shared).</summary>
    public string ActivationOwnerOf(int index) => Manifest.ActivationOwnerOf(Layers[index]);

    /// <summary>
    /// The factors of layer <paramref name="index"/>; the caller owns (and disposes) them. With
    /// <paramref name="activationOwner"/> (the loaded factors of <see cref="ActivationOwnerOf"/>), the activation
    /// eigenbasis is a second handle on its tensors instead of a second copy read from disk.
    /// </summary>
    public EkfacLayerFactors Read(int index, EkfacLayerFactors? activationOwner = null)
    {
        var layer = Layers[index];
        var owner = Manifest.ActivationOwnerOf(layer);
        if (activationOwner is not null && activationOwner.LayerName != owner)
            throw new ArgumentException($"layer '{layer}' takes its activation eigenbasis from '{owner}', not '{activationOwner.LayerName}'", nameof(activationOwner));
        using var file = SafetensorsFile.Open(Path.Combine(_folder, Manifest.FileOf(layer)));
        using var ownerFile = owner == layer || activationOwner is not null ? null : SafetensorsFile.Open(Path.Combine(_folder, Manifest.FileOf(owner)));
        var activations = ownerFile ?? file;
        var tensors = new List<Tensor>();
        try
        {
            Tensor Keep(Tensor t)
            {
                tensors.Add(t);
                return t;
            }
            Tensor Read(SafetensorsFile f, string key) => Keep(ReadTensor(f, key));
            var uA = activationOwner is null ? Read(activations, owner + ".activation_eigenvectors") : Keep(activationOwner.ActivationEigenvectors.alias());
            var alpha = activationOwner is null ? Read(activations, owner + ".activation_eigenvalues") : Keep(activationOwner.ActivationEigenvalues.alias());
            return new EkfacLayerFactors(layer, uA, alpha,
                Read(file, layer + ".gradient_eigenvectors"), Read(file, layer + ".gradient_eigenvalues"),
                file.Tensors.ContainsKey(layer + ".lambda") ? Read(file, layer + ".lambda") : null);
        }
        catch
        {
            foreach (var t in tensors) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The factors of the layers <paramref name="indices"/> (in that order), a shared activation eigenbasis read once when
    /// its owner is among them. The caller owns (and disposes) the set.
    /// </summary>
    public EkfacFactorSet ReadMany(IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var loaded = new List<EkfacLayerFactors>();
        try
        {
            foreach (var index in indices)
            {
                var owner = ActivationOwnerOf(index);
                loaded.Add(Read(index, loaded.FirstOrDefault(f => f.LayerName == owner && owner != Layers[index])));
            }
            return new EkfacFactorSet(loaded);
        }
        catch
        {
            foreach (var f in loaded) f.Dispose();
            throw;
        }
    }

    private static Tensor ReadTensor(SafetensorsFile file, string key)
    {
        var info = file.Info(key);
        var type = info.DType switch
        {
            TensorDType.F64 => ScalarType.Float64,
            TensorDType.F32 => ScalarType.Float32,
            _ => throw new CheckpointException($"{file.Path}: tensor '{key}' is {info.DType.ToSafetensorsName()}; EK-FAC factors are F64 or F32"),
        };
        var stored = TensorBytes.Read((offset, count) => file.GetBytes(key, offset, count), type, info.Shape.ToArray());
        if (type == ScalarType.Float64) return stored;
        using (stored) return stored.to(ScalarType.Float64);
    }
}
