using System.Collections;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Stored factors seen as a list of layers but read on demand and held one layer at a time: reading item <c>l</c>
/// disposes the item read before it (unless it is the same layer). For code that walks the layers in order and uses
/// each before asking for the next, as preconditioning a query gradient does; an item must not be kept past the next
/// read. Memory: one layer's factors, whatever the depth.
/// </summary>
public sealed class EkfacStreamedFactors : IReadOnlyList<EkfacLayerFactors>, IDisposable
{
    private readonly EkfacFactorReader _reader;
    private EkfacLayerFactors? _current;
    private int _currentIndex = -1;

    /// <summary>Streams the layers of <paramref name="reader"/>.</summary>
    public EkfacStreamedFactors(EkfacFactorReader reader) => _reader = reader ?? throw new ArgumentNullException(nameof(reader));

    /// <summary>The entry's manifest.</summary>
    public EkfacFactorsManifest Manifest => _reader.Manifest;

    /// <summary>Layers read from disk so far (a layer read again after another counts again).</summary>
    public int Reads { get; private set; }

    /// <summary>Layer <paramref name="index"/>'s factors, valid until another layer is read or the list is disposed.</summary>
    public EkfacLayerFactors this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            if (index == _currentIndex && _current is not null) return _current;
            // Free the previous layer first: the bound is one layer, not two.
            _current?.Dispose();
            _current = null;
            _current = _reader.Read(index);
            // The list owns the layer: read inside a caller's dispose scope (a layer-by-layer sweep's, say) it would be freed
            // with that scope while the list still hands it out.
            foreach (var tensor in new[] { _current.ActivationEigenvectors, _current.ActivationEigenvalues,
                _current.GradientEigenvectors, _current.GradientEigenvalues, _current.Lambda })
                tensor?.DetachFromDisposeScope();
            _currentIndex = index;
            Reads++;
            return _current;
        }
    }

    public int Count => _reader.Layers.Count;

    /// <summary>Each layer in turn; an item is disposed when the next one is read.</summary>
    public IEnumerator<EkfacLayerFactors> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes the layer held, if any.</summary>
    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        _currentIndex = -1;
    }
}
