using System.Buffers.Binary;
using System.Text.Json;
using Infra.Core.Store;
using Infra.Core.IO;

namespace Infra.Core.Checkpoints;

/// <summary>
/// Writes safetensors files the way HF's reference implementation lays them out: header keys in
/// name order, header padded with spaces so the data starts on an 8-byte boundary, and data
/// ordered by element size (largest first) then name, so every tensor is aligned to its element.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (and optional <c>__metadata__</c>) to <paramref name="path"/>
    /// atomically: a temp file is written, flushed to disk and renamed over the target.
    /// </summary>
    /// <param name="path">The final path.</param>
    /// <param name="tensors">The tensors.</param>
    /// <param name="metadata">The <c>__metadata__</c> map; null for none.</param>
    /// <param name="hook">Told of each write step before it happens (a store's fault-injection seam); null (the default) for none.</param>
    /// <param name="step">What this file is to <paramref name="hook"/>. Defaults to a shard's tensors.</param>
    /// <exception cref="ArgumentException">Duplicate or reserved names, or data whose length does not match dtype x shape.</exception>
    public static void Write(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        StoreWriteHook? hook = null, StoreWriteStep step = StoreWriteStep.ShardTensors)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        Check(list);

        var dataOrder = list
            .OrderByDescending(t => t.DType.ElementSize())
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var offsets = new Dictionary<string, (long Begin, long End)>(StringComparer.Ordinal);
        long position = 0;
        foreach (var t in dataOrder)
        {
            offsets[t.Name] = (position, position + t.ByteLength);
            position += t.ByteLength;
        }

        var header = BuildHeader(list, offsets, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var t in dataOrder)
                foreach (var piece in t.Pieces)
                    stream.Write(piece.Span);
        }, hook, step);
    }

    private static void Check(List<SafetensorsTensor> tensors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (t.Name == "__metadata__")
                throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor", nameof(tensors));
            if (!names.Add(t.Name))
                throw new ArgumentException($"tensor '{t.Name}' is given twice", nameof(tensors));
            if (t.Shape.Any(d => d < 0))
                throw new ArgumentException($"tensor '{t.Name}': shape {TensorShape.Format(t.Shape)} has a negative dimension", nameof(tensors));
            var expected = checked(TensorShape.ElementCount(t.Shape) * t.DType.ElementSize());
            if (t.Parts is not null && !t.Data.IsEmpty)
                throw new ArgumentException($"tensor '{t.Name}': give its data as Data or as Parts, not both", nameof(tensors));
            if (t.ByteLength != expected)
            {
                throw new ArgumentException(
                    $"tensor '{t.Name}': {t.ByteLength} bytes given but {t.DType.ToSafetensorsName()} x {TensorShape.Format(t.Shape)} needs {expected}", nameof(tensors));
            }
        }
    }

    private static byte[] BuildHeader(List<SafetensorsTensor> tensors, Dictionary<string, (long Begin, long End)> offsets, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping writes names as HF's serde writer does (no \u002B for '+').
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var t in tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DType.ToSafetensorsName());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offsets[t.Name].Begin);
                json.WriteNumberValue(offsets[t.Name].End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces (valid JSON whitespace) so 8 + header length is a multiple of 8.
        while (buffer.Length % 8 != 0)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
