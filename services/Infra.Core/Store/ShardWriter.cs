using Infra.Core.Checkpoints;
using Infra.Core.Compression;

namespace Infra.Core.Store;

/// <summary>
/// Writes one shard — <c>&lt;name&gt;.safetensors</c> (gradients, factors, token offsets) and
/// <c>&lt;name&gt;.metadata.arrow</c> — each atomically (temp file, fsync, rename), and describes them
/// with sizes and checksums for the manifest.
/// </summary>
public static class ShardWriter
{
    /// <summary>Writes shard <paramref name="name"/> into <paramref name="folder"/>; <paramref name="hook"/> (default null) is told of each write step.</summary>
    public static ShardEntry Write(string folder, string name, StoreSchema schema, IReadOnlyList<StoreExample> examples, IReadOnlyList<string> contentHashes,
        StoreWriteHook? hook = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(examples);
        var n = examples.Count;
        var tokens = examples.Sum(e => (long)e.TokenIds.Length);
        var tensors = new List<SafetensorsTensor>();
        for (var l = 0; l < schema.Layers.Count; l++)
        {
            var layer = schema.Layers[l];
            var layerIndex = l;
            Add(tensors, ShardTensorNames.ExampleGradients(l), examples.Select(e => e.ExampleGradients[layerIndex]), n, layer.GradientLength, schema.DType);
            if (!schema.TokenFactors) continue;
            Add(tensors, ShardTensorNames.TokenInputs(l), examples.Select(e => e.TokenInputs![layerIndex]), checked((int)tokens), layer.KIn, schema.DType);
            Add(tensors, ShardTensorNames.TokenOutputGradients(l), examples.Select(e => e.TokenOutputGradients![layerIndex]), checked((int)tokens), layer.KOut, schema.DType);
        }
        var offsets = new long[n + 1];
        for (var i = 0; i < n; i++) offsets[i + 1] = offsets[i] + examples[i].TokenIds.Length;
        var offsetBytes = new byte[offsets.Length * sizeof(long)];
        Buffer.BlockCopy(offsets, 0, offsetBytes, 0, offsetBytes.Length);
        tensors.Add(new SafetensorsTensor(ShardTensorNames.TokenOffsets, TensorDType.I64, [offsets.Length], offsetBytes));

        var tensorFile = Files(name)[0];
        var metadataFile = Files(name)[1];
        SafetensorsWriter.Write(Path.Combine(folder, tensorFile), tensors, new Dictionary<string, string>
        {
            ["format"] = "infra-gradient-shard",
            ["dtype"] = schema.DType.ToString(),
            ["model_fingerprint"] = schema.ModelFingerprint,
        }, hook, StoreWriteStep.ShardTensors);
        MetadataFile.Write(Path.Combine(folder, metadataFile), examples, contentHashes, hook: hook);
        return new ShardEntry(name, n, tokens, [FileChecksum.Describe(folder, tensorFile), FileChecksum.Describe(folder, metadataFile)]);
    }

    /// <summary>The files a shard named <paramref name="name"/> consists of (to remove them after a failed commit).</summary>
    public static IReadOnlyList<string> Files(string name) => [name + ".safetensors", name + ".metadata.arrow"];

    // Concatenates per-example row blocks and encodes them as one [rows, cols] tensor (+ scales for int8).
    private static void Add(List<SafetensorsTensor> tensors, string name, IEnumerable<float[]> parts, int rows, int cols, FactorDType dtype)
    {
        var values = new float[(long)rows * cols];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(values, at);
            at += part.Length;
        }
        var block = Quantizer.Encode(values, rows, cols, dtype);
        tensors.Add(new SafetensorsTensor(name, ToTensorDType(dtype), [rows, cols], block.Data));
        if (dtype == FactorDType.Int8)
        {
            var scales = new byte[block.RowScales.Length * sizeof(float)];
            Buffer.BlockCopy(block.RowScales, 0, scales, 0, scales.Length);
            tensors.Add(new SafetensorsTensor(ShardTensorNames.Scales(name), TensorDType.F32, [rows], scales));
        }
    }

    internal static TensorDType ToTensorDType(FactorDType dtype) => dtype switch
    {
        FactorDType.Float32 => TensorDType.F32,
        FactorDType.BFloat16 => TensorDType.BF16,
        FactorDType.Float16 => TensorDType.F16,
        FactorDType.Int8 => TensorDType.I8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
