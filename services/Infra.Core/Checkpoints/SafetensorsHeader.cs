using System.Text.Json;

namespace Infra.Core.Checkpoints;

/// <summary>
/// The parsed and validated JSON header of a safetensors file: every tensor lies inside the data
/// section, its byte length matches dtype x shape, and no two tensors overlap.
/// </summary>
internal sealed class SafetensorsHeader
{
    private const string MetadataKey = "__metadata__";

    public required Dictionary<string, SafetensorsTensorInfo> Tensors { get; init; }

    public required Dictionary<string, string> Metadata { get; init; }

    /// <summary>Parses <paramref name="json"/>; <paramref name="dataLength"/> is the byte count after the header.</summary>
    /// <exception cref="CheckpointException">Names <paramref name="path"/> and the tensor at fault.</exception>
    public static SafetensorsHeader Parse(byte[] json, long dataLength, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException($"{path}: safetensors header is not valid JSON ({ex.Message})", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{path}: safetensors header must be a JSON object, found {document.RootElement.ValueKind}");

            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                    continue;
                }
                var info = ReadTensor(property.Name, property.Value, dataLength, path);
                if (!tensors.TryAdd(info.Name, info))
                    throw new CheckpointException($"{path}: tensor '{info.Name}' appears twice in the header");
            }
            CheckNoOverlap(tensors.Values, path);
            return new SafetensorsHeader { Tensors = tensors, Metadata = metadata };
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new CheckpointException($"{path}: '{MetadataKey}' must be an object of strings, found {element.ValueKind}");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException($"{path}: '{MetadataKey}' value '{entry.Name}' must be a string, found {entry.Value.ValueKind}");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string name, JsonElement element, long dataLength, string path)
    {
        var where = $"{path}: tensor '{name}'";
        if (element.ValueKind != JsonValueKind.Object)
            throw new CheckpointException($"{where}: header entry must be an object, found {element.ValueKind}");

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new CheckpointException($"{where}: 'dtype' is missing or not a string");
        var dtypeName = dtypeElement.GetString()!;
        if (!TensorDTypes.TryParse(dtypeName, out var dtype))
            throw new CheckpointException($"{where}: unknown dtype '{dtypeName}' (supported: {TensorDTypes.SupportedNames})");

        var shape = ReadNonNegativeArray(element, "shape", where);
        var offsets = ReadNonNegativeArray(element, "data_offsets", where);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new CheckpointException($"{where}: 'data_offsets' must be [begin, end] with begin <= end, found {TensorShape.Format(offsets)}");
        var (begin, end) = (offsets[0], offsets[1]);

        long expectedBytes;
        try
        {
            expectedBytes = checked(TensorShape.ElementCount(shape) * dtype.ElementSize());
        }
        catch (OverflowException ex)
        {
            throw new CheckpointException($"{where}: shape {TensorShape.Format(shape)} is too large", ex);
        }
        if (end - begin != expectedBytes)
        {
            throw new CheckpointException(
                $"{where}: data_offsets [{begin}, {end}] span {end - begin} bytes but {dtypeName} x {TensorShape.Format(shape)} needs {expectedBytes} bytes");
        }
        if (end > dataLength)
        {
            throw new CheckpointException(
                $"{where}: file is truncated: the tensor ends at data byte {end} but only {dataLength} bytes follow the header");
        }
        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadNonNegativeArray(JsonElement element, string key, string where)
    {
        if (!element.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new CheckpointException($"{where}: '{key}' is missing or not an array");
        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
                throw new CheckpointException($"{where}: '{key}' must hold non-negative integers, found {item.GetRawText()}");
            values[i++] = value;
        }
        return values;
    }

    private static void CheckNoOverlap(IEnumerable<SafetensorsTensorInfo> tensors, string path)
    {
        // Empty tensors occupy no bytes, so they may share an offset with anything.
        SafetensorsTensorInfo? furthest = null;
        foreach (var t in tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (furthest is not null && t.Begin < furthest.End)
            {
                throw new CheckpointException(
                    $"{path}: tensors '{furthest.Name}' [{furthest.Begin}, {furthest.End}) and '{t.Name}' [{t.Begin}, {t.End}) overlap");
            }
            if (furthest is null || t.End > furthest.End)
                furthest = t;
        }
    }
}
