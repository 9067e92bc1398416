using System.Collections;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Full-space query gradients kept on disk, one file per tracked layer, and brought into memory one layer at a time:
/// exact scoring walks the layers in order, so it never holds more than one layer's queries (the layer being read, plus
/// its rows while they are assembled). At Qwen2.5-1.5B's dimensions a query is 330 MB per layer and 9.2 GB over its 28
/// layers in float64; 8 queries in memory would not fit a 24 GiB machine, one layer of them does.
/// </summary>
/// <remarks>
/// The indexer returns the layer it last loaded while the same layer is asked for again, and disposes it when another
/// layer is asked for: use a layer's tensor before asking for the next (or <see cref="Shape"/>, which reads nothing).
/// Files are created with <see cref="FileOptions.DeleteOnClose"/>, so nothing is left behind even by a killed process.
/// </remarks>
public sealed class SpooledQueryLayers : IReadOnlyList<Tensor>, IDisposable
{
    private readonly FileStream[] _files;
    private readonly long[][] _rowShape;
    private readonly long[] _rows;
    private readonly Device _device;
    private int _loadedLayer = -1;
    private Tensor? _loaded;

    /// <summary>Creates one empty spool file per layer in <paramref name="folder"/> (null: the system's temp folder).</summary>
    /// <param name="layers">Tracked layers.</param>
    /// <param name="device">Where loaded layers go (the model's device).</param>
    /// <param name="folder">The spool folder; created if missing.</param>
    public SpooledQueryLayers(int layers, Device device, string? folder = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
        ArgumentNullException.ThrowIfNull(device);
        var directory = folder ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        _device = device;
        _files = new FileStream[layers];
        _rowShape = new long[layers][];
        _rows = new long[layers];
        try
        {
            for (var l = 0; l < layers; l++)
            {
                var path = Path.Combine(directory, $"exact-queries-{Guid.NewGuid():N}-{l:D3}.bin");
                _files[l] = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Tracked layers.</summary>
    public int Count => _files.Length;

    /// <summary>Bytes written to the spool files so far.</summary>
    public long Bytes => _files.Sum(f => f?.Length ?? 0);

    /// <summary>Layer <paramref name="layer"/>'s shape, <c>[Q, d_out, d_in]</c>, without reading it.</summary>
    public long[] Shape(int layer) => [_rows[layer], .. _rowShape[layer] ?? [0, 0]];

    /// <summary>Appends <paramref name="queries"/> (<c>[q, d_out, d_in]</c>, float64) to layer <paramref name="layer"/>'s file.</summary>
    /// <exception cref="ArgumentException">Another dtype, rank or row shape than the layer's earlier rows.</exception>
    public void Append(int layer, Tensor queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ObjectDisposedException.ThrowIf(_files[layer] is null, this);
        if (queries.dtype != ScalarType.Float64 || queries.shape.Length != 3)
            throw new ArgumentException($"query gradients must be [Q, d_out, d_in] float64, got [{string.Join(", ", queries.shape)}] {queries.dtype}", nameof(queries));
        long[] row = [queries.shape[1], queries.shape[2]];
        if (_rowShape[layer] is { } known && !known.SequenceEqual(row))
            throw new ArgumentException($"layer {layer}'s queries are [{string.Join(", ", known)}], got [{string.Join(", ", row)}]", nameof(queries));
        _rowShape[layer] = row;
        var file = _files[layer];
        file.Seek(0, SeekOrigin.End);
        // One query row at a time: a row's bytes stay below 2 GiB (a Span's limit) up to 7B's largest layer (543 MB).
        for (long q = 0; q < queries.shape[0]; q++)
        {
            using var host = queries[q].cpu().contiguous();
            file.Write(host.bytes);
        }
        _rows[layer] += queries.shape[0];
    }

    /// <summary>Layer <paramref name="index"/>'s queries on the device, <c>[Q, d_out, d_in]</c> float64 (see the remarks on lifetime).</summary>
    public Tensor this[int index]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_files[index] is null, this);
            if (_loadedLayer == index && _loaded is not null) return _loaded;
            _loaded?.Dispose();
            _loaded = null;
            _loadedLayer = -1;
            _loaded = Load(index);
            _loadedLayer = index;
            return _loaded;
        }
    }

    private Tensor Load(int layer)
    {
        var shape = _rowShape[layer] ?? throw new InvalidOperationException($"layer {layer} has no queries");
        var file = _files[layer];
        file.Seek(0, SeekOrigin.Begin);
        var buffer = new double[shape[0] * shape[1]];
        var rows = new List<Tensor>((int)_rows[layer]);
        try
        {
            for (long q = 0; q < _rows[layer]; q++)
            {
                file.ReadExactly(MemoryMarshal.AsBytes(buffer.AsSpan()));
                // tensor(array) may share the array's memory, which the next row overwrites: each row gets its own copy.
                using var view = tensor(buffer, shape, ScalarType.Float64);
                rows.Add(view.clone());
            }
            var stacked = stack(rows);
            if (stacked.device_type == _device.type && stacked.device_index == _device.index) return stacked.DetachFromDisposeScope();
            using (stacked) return stacked.to(_device).DetachFromDisposeScope();
        }
        finally
        {
            foreach (var row in rows) row.Dispose();
        }
    }

    /// <inheritdoc />
    public IEnumerator<Tensor> GetEnumerator()
    {
        for (var l = 0; l < Count; l++) yield return this[l];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Frees the loaded layer and deletes the spool files.</summary>
    public void Dispose()
    {
        _loaded?.Dispose();
        _loaded = null;
        for (var l = 0; l < _files.Length; l++)
        {
            _files[l]?.Dispose();
            _files[l] = null!;
        }
    }
}
