using Infra.Core.Checkpoints;
using Infra.Core.Compression;

namespace Infra.Core.Store;

/// <summary>
/// A committed shard, memory-mapped: raw (quantised) gradient and factor rows for the kernels, and
/// decoding helpers. Memory use does not grow with the shard: pages come and go through the page cache.
/// </summary>
public sealed class ShardReader : IDisposable
{
    private readonly SafetensorsFile _file;
    private readonly StoreSchema _schema;
    private readonly string _metadataPath;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _scales = new(StringComparer.Ordinal);

    private ShardReader(ShardEntry entry, SafetensorsFile file, ShardMetadata metadata, StoreSchema schema, string metadataPath)
    {
        Entry = entry;
        _file = file;
        Metadata = metadata;
        _schema = schema;
        _metadataPath = metadataPath;
    }

    public ShardEntry Entry { get; }
    public ShardMetadata Metadata { get; }
    public int Count => Metadata.Count;

    /// <summary>Opens a shard, checking sizes always and checksums when <paramref name="verify"/> is set.</summary>
    /// <exception cref="StoreException">A missing, truncated or corrupt file, named.</exception>
    public static ShardReader Open(string folder, ShardEntry entry, StoreSchema schema, bool verify)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var f in entry.Files)
        {
            var path = Path.Combine(folder, f.Name);
            if (!File.Exists(path)) throw new StoreException(StoreErrorKind.Corrupt, $"shard file {path} is missing");
            var length = new FileInfo(path).Length;
            if (length != f.Bytes) throw new StoreException(StoreErrorKind.Corrupt, $"shard file {path} is truncated or altered: {length} bytes, the manifest says {f.Bytes}");
            if (verify && FileChecksum.Of(path) != f.XxHash128) throw new StoreException(StoreErrorKind.Corrupt, $"shard file {path} is corrupt: its checksum does not match the manifest");
        }
        var tensorPath = Path.Combine(folder, entry.Files[0].Name);
        var metadataPath = Path.Combine(folder, entry.Files[1].Name);
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Open(tensorPath);
        }
        catch (CheckpointException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"shard file {tensorPath} is corrupt: {ex.Message}", ex);
        }
        var metadata = MetadataFile.Read(metadataPath);
        if (metadata.Count != entry.Examples)
        {
            file.Dispose();
            throw new StoreException(StoreErrorKind.Corrupt, $"shard {entry.Name}: metadata has {metadata.Count} rows, the manifest says {entry.Examples}");
        }
        return new ShardReader(entry, file, metadata, schema, metadataPath);
    }

    /// <summary>The stored bytes of layer <paramref name="layer"/>'s example gradients, <c>[n, k_out*k_in]</c> in the store dtype.</summary>
    public ReadOnlySpan<byte> ExampleGradientBytes(int layer) => _file.GetBytes(ShardTensorNames.ExampleGradients(layer));

    /// <summary>Per-row scales of an int8 tensor, else empty.</summary>
    public float[] Scales(string tensor) =>
        _schema.DType == FactorDType.Int8 ? _scales.GetOrAdd(tensor, t => _file.ReadAsFloat32(ShardTensorNames.Scales(t))) : [];

    /// <summary>Example <paramref name="row"/>'s <c>Ĝ</c> of a layer, decoded to fp32.</summary>
    public float[] DecodeExampleGradient(int row, int layer)
    {
        var cols = _schema.Layers[layer].GradientLength;
        return DecodeRows(ShardTensorNames.ExampleGradients(layer), row, 1, cols);
    }

    /// <summary>Example <paramref name="row"/>'s per-token factors of a layer, decoded: <c>â [T, k_in]</c>, <c>ĝ [T, k_out]</c>.</summary>
    /// <exception cref="StoreException">The store keeps no token factors.</exception>
    public (float[] Inputs, float[] OutputGradients) DecodeTokenFactors(int row, int layer)
    {
        if (!_schema.TokenFactors) throw new StoreException(StoreErrorKind.FailedPrecondition, "this store keeps no per-token factors (index with token factors for token-level scoring)");
        var first = (int)Metadata.TokenOffsets[row];
        var count = Metadata.TokenCount(row);
        var l = _schema.Layers[layer];
        return (DecodeRows(ShardTensorNames.TokenInputs(layer), first, count, l.KIn),
                DecodeRows(ShardTensorNames.TokenOutputGradients(layer), first, count, l.KOut));
    }

    /// <summary>Rows <c>first .. first+count</c> of a layer's token inputs (<c>â</c>) or output gradients (<c>ĝ</c>) across the shard, decoded.</summary>
    public float[] DecodeTokenRows(int layer, bool outputGradients, int first, int count)
    {
        if (!_schema.TokenFactors) throw new StoreException(StoreErrorKind.FailedPrecondition, "this store keeps no per-token factors (index with token factors for token-level scoring)");
        var l = _schema.Layers[layer];
        return outputGradients
            ? DecodeRows(ShardTensorNames.TokenOutputGradients(layer), first, count, l.KOut)
            : DecodeRows(ShardTensorNames.TokenInputs(layer), first, count, l.KIn);
    }

    /// <summary>Tokens in the shard.</summary>
    public long TokenCount => Metadata.TokenOffsets[^1];

    /// <summary>Token ids, losses, text and offsets of example <paramref name="row"/>.</summary>
    public TokenDetails ReadTokens(int row) => MetadataFile.ReadTokens(_metadataPath, row);

    /// <summary>Token ids, losses, text and offsets of the examples at <paramref name="rows"/>, with one read of the metadata file.</summary>
    public IReadOnlyDictionary<int, TokenDetails> ReadTokens(IReadOnlyCollection<int> rows) => MetadataFile.ReadTokens(_metadataPath, rows);

    private float[] DecodeRows(string tensor, int firstRow, int rows, int cols)
    {
        var size = Quantizer.ElementSize(_schema.DType);
        var bytes = _file.GetBytes(tensor).Slice(firstRow * cols * size, rows * cols * size).ToArray();
        var scales = _schema.DType == FactorDType.Int8 ? Scales(tensor).AsSpan(firstRow, rows).ToArray() : [];
        return Quantizer.Decode(new QuantizedBlock(rows, cols, _schema.DType, bytes, scales));
    }

    public void Dispose() => _file.Dispose();
}
