using System.Text.Json;

namespace Infra.Core.Checkpoints;

/// <summary>Reads <c>model.safetensors.index.json</c>: <c>{"metadata": {...}, "weight_map": {tensor: shard file}}</c>.</summary>
internal static class CheckpointIndex
{
    /// <summary>The weight map, tensor name to shard file name.</summary>
    /// <exception cref="CheckpointException">Bad JSON, no weight_map, or a value that is not a plain file name.</exception>
    public static Dictionary<string, string> ReadWeightMap(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new CheckpointException($"{path}: not valid JSON ({ex.Message})", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"{path}: expected an object with a 'weight_map' object");
            }
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                var file = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                // Shards must sit beside the index; a path would let an index point anywhere on disk.
                if (file.Length == 0 || file != System.IO.Path.GetFileName(file))
                    throw new CheckpointException($"{path}: weight_map entry '{entry.Name}' must name a shard file in the same folder, found {entry.Value.GetRawText()}");
                if (!result.TryAdd(entry.Name, file))
                    throw new CheckpointException($"{path}: weight_map lists '{entry.Name}' twice");
            }
            return result;
        }
    }
}
