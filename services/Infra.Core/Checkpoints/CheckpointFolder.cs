using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Infra.Core.Checkpoints;

/// <summary>
/// A HuggingFace checkpoint folder: <c>config.json</c> plus either <c>model.safetensors</c> or
/// <c>model.safetensors.index.json</c> with its shards. When both weight forms are present the
/// single file wins, as in HF transformers. Every shard is memory-mapped until <see cref="Dispose"/>.
/// </summary>
public sealed class CheckpointFolder : IDisposable
{
    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _fileOf;
    private bool _disposed;

    private CheckpointFolder(string folder, HfModelConfig config, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileOf)
    {
        Folder = folder;
        Config = config;
        _files = files;
        _fileOf = fileOf;
        TensorNames = fileOf.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The parsed and validated <c>config.json</c>.</summary>
    public HfModelConfig Config { get; }

    /// <summary>Every tensor in the folder, in ordinal name order.</summary>
    public IReadOnlyCollection<string> TensorNames { get; }

    /// <summary>The weight files opened, in the order they were read.</summary>
    public IReadOnlyList<string> WeightFiles => _files.Select(f => f.Path).ToArray();

    /// <summary>Opens and validates a checkpoint folder.</summary>
    /// <exception cref="CheckpointException">
    /// Missing folder, config or weights; an index naming a missing shard or a tensor its shard
    /// lacks; a shard tensor the index does not list; a tensor stored in two shards.
    /// </exception>
    public static CheckpointFolder Open(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new CheckpointException($"{full}: checkpoint folder does not exist");
        var config = HfModelConfig.Load(System.IO.Path.Combine(full, CheckpointFileNames.Config));

        var single = System.IO.Path.Combine(full, CheckpointFileNames.SingleWeights);
        var index = System.IO.Path.Combine(full, CheckpointFileNames.Index);
        var files = new List<SafetensorsFile>();
        try
        {
            Dictionary<string, SafetensorsFile> fileOf;
            if (File.Exists(single))
            {
                var file = SafetensorsFile.Open(single);
                files.Add(file);
                fileOf = file.Tensors.Keys.ToDictionary(n => n, _ => file, StringComparer.Ordinal);
            }
            else if (File.Exists(index))
            {
                fileOf = OpenShards(full, index, files);
            }
            else
            {
                throw new CheckpointException(
                    $"{full}: no weights: neither {CheckpointFileNames.SingleWeights} nor {CheckpointFileNames.Index} exists");
            }
            return new CheckpointFolder(full, config, files, fileOf);
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
    }

    private static Dictionary<string, SafetensorsFile> OpenShards(string folder, string indexPath, List<SafetensorsFile> opened)
    {
        var weightMap = CheckpointIndex.ReadWeightMap(indexPath);
        var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var shardName in weightMap.Values.Distinct().Order(StringComparer.Ordinal))
        {
            var shardPath = System.IO.Path.Combine(folder, shardName);
            if (!File.Exists(shardPath))
            {
                var example = weightMap.First(kv => kv.Value == shardName).Key;
                throw new CheckpointException($"{indexPath}: shard '{shardName}' (holding '{example}') does not exist");
            }
            var shard = SafetensorsFile.Open(shardPath);
            opened.Add(shard);
            shards[shardName] = shard;
        }

        var fileOf = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var shard in opened)
        {
            foreach (var name in shard.Tensors.Keys)
            {
                if (fileOf.TryGetValue(name, out var other))
                    throw new CheckpointException($"{folder}: tensor '{name}' is stored in two shards: {System.IO.Path.GetFileName(other.Path)} and {System.IO.Path.GetFileName(shard.Path)}");
                fileOf[name] = shard;
            }
        }
        foreach (var (name, shardName) in weightMap)
        {
            if (!shards[shardName].Tensors.ContainsKey(name))
                throw new CheckpointException($"{indexPath}: tensor '{name}' is mapped to {shardName}, but that shard does not contain it");
        }
        // An index that omits a tensor its shard holds is inconsistent; refuse rather than guess.
        foreach (var name in fileOf.Keys)
        {
            if (!weightMap.ContainsKey(name))
                throw new CheckpointException($"{indexPath}: shard {System.IO.Path.GetFileName(fileOf[name].Path)} holds tensor '{name}', which the weight_map does not list");
        }
        return fileOf;
    }

    /// <summary>The header entry of a tensor.</summary>
    /// <exception cref="CheckpointException">No such tensor.</exception>
    public SafetensorsTensorInfo Info(string name) => FileOfTensor(name).Info(name);

    /// <summary>The path of the weight file holding <paramref name="name"/>.</summary>
    public string FileOf(string name) => FileOfTensor(name).Path;

    /// <summary>A tensor as float32 (from F32, F16 or BF16).</summary>
    public float[] ReadAsFloat32(string name) => FileOfTensor(name).ReadAsFloat32(name);

    /// <summary>A tensor as float32 into <paramref name="destination"/>, whose length must equal the element count.</summary>
    public void ReadAsFloat32(string name, Span<float> destination) => FileOfTensor(name).ReadAsFloat32(name, destination);

    /// <summary>
    /// Lowercase hex SHA-256 over the canonical config JSON and, for every tensor in ordinal name
    /// order, its name, dtype, shape and raw bytes. It does not depend on how the tensors are split
    /// into shards, on header or index metadata, or on data order within a file; it does depend on
    /// the stored dtype. Tensor bytes are streamed from the mapped files.
    /// </summary>
    public string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendString(hash, Config.ToJson());
        AppendInt64(hash, TensorNames.Count);
        const int chunk = 1 << 20;
        foreach (var name in TensorNames)
        {
            var file = FileOfTensor(name);
            var info = file.Info(name);
            AppendString(hash, name);
            AppendString(hash, info.DType.ToSafetensorsName());
            AppendInt64(hash, info.Shape.Length);
            foreach (var d in info.Shape) AppendInt64(hash, d);
            AppendInt64(hash, info.ByteLength);
            for (long offset = 0; offset < info.ByteLength; offset += chunk)
                hash.AppendData(file.GetBytes(name, offset, (int)Math.Min(chunk, info.ByteLength - offset)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Length-prefixed fields, so no two different checkpoints can feed the hash the same byte stream.
    private static void AppendString(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendInt64(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendInt64(IncrementalHash hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        hash.AppendData(buffer);
    }

    private SafetensorsFile FileOfTensor(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _fileOf.TryGetValue(name, out var file) ? file : throw new CheckpointException($"{Folder}: no tensor '{name}' in the checkpoint");
    }

    /// <summary>Unmaps every weight file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var f in _files) f.Dispose();
    }
}
