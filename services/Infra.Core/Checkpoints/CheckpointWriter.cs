using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Core.IO;

namespace Infra.Core.Checkpoints;

/// <summary>
/// Writes a HuggingFace checkpoint folder that <see cref="CheckpointFolder"/> and HF transformers
/// both load: <c>config.json</c> plus <c>model.safetensors</c>, or shards and an index.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>
    /// Writes <paramref name="config"/> (with <c>torch_dtype</c> set to match <paramref name="dtype"/>)
    /// and the tensors, encoded as <paramref name="dtype"/> (defaults to F32; BF16 and F16 round to
    /// nearest-even). With <paramref name="maxShardBytes"/> 0 (the default) all weights go to
    /// <c>model.safetensors</c>; otherwise tensors, in the order given, fill shards of at most that
    /// many data bytes (a larger tensor gets a shard to itself, as in HF) and an index is written.
    /// Each file is written atomically; weight files of the other layout left from an earlier write
    /// are deleted afterwards so the folder cannot be read as the stale layout.
    /// </summary>
    /// <exception cref="ArgumentException">Duplicate names, data length not matching shape, or a dtype other than F32/BF16/F16.</exception>
    public static void Write(
        string folder,
        HfModelConfig config,
        IEnumerable<(string Name, long[] Shape, float[] Data)> tensors,
        TensorDType dtype = TensorDType.F32,
        long maxShardBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!dtype.IsFloat32Convertible())
            throw new ArgumentException($"checkpoints are written as F32, BF16 or F16, not {dtype.ToSafetensorsName()}", nameof(dtype));
        ArgumentOutOfRangeException.ThrowIfNegative(maxShardBytes);

        var list = tensors.ToList();
        var duplicate = list.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"tensor '{duplicate.Key}' is given twice", nameof(tensors));
        foreach (var t in list)
        {
            if (TensorShape.ElementCount(t.Shape) != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}': shape {TensorShape.Format(t.Shape)} does not match {t.Data.Length} values", nameof(tensors));
        }

        Directory.CreateDirectory(folder);
        var written = new HashSet<string>(StringComparer.Ordinal) { CheckpointFileNames.Config };
        if (maxShardBytes == 0)
        {
            WriteShard(Path.Combine(folder, CheckpointFileNames.SingleWeights), list, dtype);
            written.Add(CheckpointFileNames.SingleWeights);
        }
        else
        {
            var shards = Plan(list, dtype, maxShardBytes);
            var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < shards.Count; i++)
            {
                var name = CheckpointFileNames.Shard(i + 1, shards.Count);
                WriteShard(Path.Combine(folder, name), shards[i], dtype);
                written.Add(name);
                foreach (var t in shards[i]) weightMap[t.Name] = name;
            }
            var totalSize = list.Sum(t => t.Data.LongLength * dtype.ElementSize());
            AtomicFile.WriteText(Path.Combine(folder, CheckpointFileNames.Index), IndexJson(totalSize, weightMap));
            written.Add(CheckpointFileNames.Index);
        }
        AtomicFile.WriteText(Path.Combine(folder, CheckpointFileNames.Config), (config with { TorchDtype = dtype.ToTorchDtype() }).ToJson());
        DeleteStaleWeights(folder, written);
    }

    private static List<List<(string Name, long[] Shape, float[] Data)>> Plan(
        List<(string Name, long[] Shape, float[] Data)> tensors, TensorDType dtype, long maxShardBytes)
    {
        var shards = new List<List<(string Name, long[] Shape, float[] Data)>>();
        var current = new List<(string Name, long[] Shape, float[] Data)>();
        long currentBytes = 0;
        foreach (var t in tensors)
        {
            var bytes = t.Data.LongLength * dtype.ElementSize();
            if (maxShardBytes > 0 && current.Count > 0 && currentBytes + bytes > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.Add(t);
            currentBytes += bytes;
        }
        if (current.Count > 0) shards.Add(current);
        return shards;
    }

    // Encodes one shard at a time so peak extra memory is one shard, not the whole model.
    private static void WriteShard(string path, List<(string Name, long[] Shape, float[] Data)> tensors, TensorDType dtype) =>
        SafetensorsWriter.Write(path, tensors.Select(t => SafetensorsTensor.FromFloat32(t.Name, t.Shape, t.Data, dtype)).ToList(),
            new Dictionary<string, string> { ["format"] = "pt" });

    private static string IndexJson(long totalSize, SortedDictionary<string, string> weightMap)
    {
        var map = new JsonObject();
        foreach (var (name, file) in weightMap) map[name] = file;
        var root = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = totalSize },
            ["weight_map"] = map,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void DeleteStaleWeights(string folder, HashSet<string> written)
    {
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            var isWeights = name is CheckpointFileNames.SingleWeights or CheckpointFileNames.Index || CheckpointFileNames.IsShard(name);
            if (isWeights && !written.Contains(name))
                File.Delete(path);
        }
    }
}
