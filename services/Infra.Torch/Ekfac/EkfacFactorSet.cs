using System.Collections;

namespace Infra.Torch.Ekfac;

/// <summary>
/// The EK-FAC factors of every tracked layer, in layer order, and their one owner: disposing the set disposes each
/// layer's <see cref="EkfacLayerFactors"/> (each frees its tensors once). Whoever receives a set from the fitter or the
/// store disposes it; code that is only lent one reads it as an <see cref="IReadOnlyList{T}"/> and disposes nothing.
/// </summary>
public sealed class EkfacFactorSet : IReadOnlyList<EkfacLayerFactors>, IDisposable
{
    private readonly EkfacLayerFactors[] _layers;

    /// <summary>Takes ownership of <paramref name="layers"/>.</summary>
    public EkfacFactorSet(IEnumerable<EkfacLayerFactors> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
    }

    public EkfacLayerFactors this[int index] => _layers[index];

    public int Count => _layers.Length;

    public IEnumerator<EkfacLayerFactors> GetEnumerator() => ((IEnumerable<EkfacLayerFactors>)_layers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every layer's factors; later calls do nothing.</summary>
    public void Dispose()
    {
        foreach (var layer in _layers) layer.Dispose();
    }
}
