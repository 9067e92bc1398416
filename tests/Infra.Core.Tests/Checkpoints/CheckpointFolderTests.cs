using System.Text.Json.Nodes;
using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

public class CheckpointFolderTests
{
    private static string Fingerprint(string folder)
    {
        using var checkpoint = CheckpointFolder.Open(folder);
        return checkpoint.ComputeFingerprint();
    }

    [Theory]
    [InlineData(TensorDType.F32)]
    [InlineData(TensorDType.BF16)]
    [InlineData(TensorDType.F16)]
    public void Sharded_and_single_file_checkpoints_read_identically(TensorDType dtype)
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        var tensors = TinyModel.Tensors(config);
        var singlePath = Path.Combine(dir.Path, "single");
        var shardedPath = Path.Combine(dir.Path, "sharded");
        CheckpointWriter.Write(singlePath, config, tensors, dtype);
        CheckpointWriter.Write(shardedPath, config, tensors, dtype, maxShardBytes: 8 * 1024);

        using var single = CheckpointFolder.Open(singlePath);
        using var sharded = CheckpointFolder.Open(shardedPath);
        Assert.True(sharded.WeightFiles.Count >= 3, $"expected 3+ shards, got {sharded.WeightFiles.Count}");
        Assert.Single(single.WeightFiles);
        Assert.Equal(dtype.ToTorchDtype(), sharded.Config.TorchDtype);
        Assert.Equal(config with { TorchDtype = dtype.ToTorchDtype() }, sharded.Config);
        Assert.Equal(tensors.Select(t => t.Name).Order(StringComparer.Ordinal), sharded.TensorNames);
        Assert.Equal(single.TensorNames, sharded.TensorNames);
        foreach (var (name, shape, data) in tensors)
        {
            Assert.Equal(shape, sharded.Info(name).Shape);
            Assert.Equal(dtype, sharded.Info(name).DType);
            var fromShards = sharded.ReadAsFloat32(name);
            Assert.Equal(single.ReadAsFloat32(name), fromShards);
            if (dtype == TensorDType.F32) Assert.Equal(data, fromShards);
        }
        Assert.Equal(single.ComputeFingerprint(), sharded.ComputeFingerprint());
        Qwen2TensorLayout.Validate(sharded);
    }

    [Fact]
    public void Index_records_total_size_and_every_tensor()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        var tensors = TinyModel.Tensors(config);
        CheckpointWriter.Write(dir.Path, config, tensors, TensorDType.BF16, maxShardBytes: 8 * 1024);

        var index = JsonNode.Parse(File.ReadAllText(dir.File(CheckpointFileNames.Index)))!;
        Assert.Equal(tensors.Sum(t => 2L * t.Data.Length), (long)index["metadata"]!["total_size"]!);
        var map = index["weight_map"]!.AsObject();
        Assert.Equal(tensors.Count, map.Count);
        var shardCount = map.Select(kv => (string)kv.Value!).Distinct().Count();
        Assert.Equal(CheckpointFileNames.Shard(1, shardCount), (string)map["model.embed_tokens.weight"]!);
        Assert.False(File.Exists(dir.File(CheckpointFileNames.SingleWeights)));
    }

    [Fact]
    public void Fingerprint_is_a_sha256_that_changes_with_one_weight_or_the_config()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        var tensors = TinyModel.Tensors(config);
        CheckpointWriter.Write(Path.Combine(dir.Path, "a"), config, tensors);
        var original = Fingerprint(Path.Combine(dir.Path, "a"));
        Assert.Matches("^[0-9a-f]{64}$", original);
        Assert.Equal(original, Fingerprint(Path.Combine(dir.Path, "a")));

        var changed = tensors.Select(t => (t.Name, t.Shape, (float[])t.Data.Clone())).ToList();
        changed[3].Item3[5] += 1e-3f;
        CheckpointWriter.Write(Path.Combine(dir.Path, "b"), config, changed);
        Assert.NotEqual(original, Fingerprint(Path.Combine(dir.Path, "b")));

        CheckpointWriter.Write(Path.Combine(dir.Path, "c"), config with { RopeTheta = 1e6 }, tensors);
        Assert.NotEqual(original, Fingerprint(Path.Combine(dir.Path, "c")));

        // Tensors given in another order are the same checkpoint.
        CheckpointWriter.Write(Path.Combine(dir.Path, "d"), config, Enumerable.Reverse(tensors), maxShardBytes: 4096);
        Assert.Equal(original, Fingerprint(Path.Combine(dir.Path, "d")));
    }

    [Fact]
    public void Rewriting_in_the_other_layout_removes_stale_weight_files()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        var tensors = TinyModel.Tensors(config);
        CheckpointWriter.Write(dir.Path, config, tensors, maxShardBytes: 8 * 1024);
        File.WriteAllText(dir.File("tokenizer.json"), "{}");
        CheckpointWriter.Write(dir.Path, config, tensors);

        Assert.Equal(
            ["config.json", "model.safetensors", "tokenizer.json"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        CheckpointWriter.Write(dir.Path, config, tensors, maxShardBytes: 8 * 1024);
        Assert.False(File.Exists(dir.File(CheckpointFileNames.SingleWeights)));
        using var checkpoint = CheckpointFolder.Open(dir.Path);
        Assert.True(checkpoint.WeightFiles.Count >= 3);
    }

    private static CheckpointException OpenFails(string folder) =>
        Assert.Throws<CheckpointException>(() => CheckpointFolder.Open(folder).Dispose());

    [Fact]
    public void Missing_folder_is_refused()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir.File("nowhere"));
        Assert.Contains("nowhere", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_is_refused()
    {
        using var dir = new TempFolder();
        SafetensorsWriter.Write(dir.File(CheckpointFileNames.SingleWeights), [SafetensorsTensor.FromFloat32("w", [1], [1])]);
        var ex = OpenFails(dir.Path);
        Assert.Contains("config.json not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_architecture_is_refused()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        CheckpointWriter.Write(dir.Path, config, TinyModel.Tensors(config));
        var json = JsonNode.Parse(File.ReadAllText(dir.File("config.json")))!;
        json["model_type"] = "gpt2";
        File.WriteAllText(dir.File("config.json"), json.ToJsonString());
        var ex = OpenFails(dir.Path);
        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown architecture 'gpt2'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_weights_is_refused()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("config.json"), TinyModel.Config().ToJson());
        var ex = OpenFails(dir.Path);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_naming_a_missing_shard_is_refused()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        CheckpointWriter.Write(dir.Path, config, TinyModel.Tensors(config), maxShardBytes: 8 * 1024);
        var shard = Directory.GetFiles(dir.Path, "model-00002-of-*.safetensors").Single();
        File.Delete(shard);
        var ex = OpenFails(dir.Path);
        Assert.Contains("model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"shard '{Path.GetFileName(shard)}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_naming_a_tensor_its_shard_lacks_is_refused()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        CheckpointWriter.Write(dir.Path, config, TinyModel.Tensors(config), maxShardBytes: 8 * 1024);
        var index = JsonNode.Parse(File.ReadAllText(dir.File(CheckpointFileNames.Index)))!;
        // Point the final norm at the first shard, which holds the embeddings but not the norm.
        var moved = (string)index["weight_map"]!["model.embed_tokens.weight"]!;
        Assert.NotEqual(moved, (string)index["weight_map"]!["model.norm.weight"]!);
        index["weight_map"]!["model.norm.weight"] = moved;
        File.WriteAllText(dir.File(CheckpointFileNames.Index), index.ToJsonString());
        var ex = OpenFails(dir.Path);
        Assert.Contains("model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'model.norm.weight' is mapped to {moved}, but that shard does not contain it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_stored_in_two_shards_is_refused()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("config.json"), TinyModel.Config().ToJson());
        SafetensorsWriter.Write(dir.File("model-00001-of-00002.safetensors"),
            [SafetensorsTensor.FromFloat32("a", [1], [1]), SafetensorsTensor.FromFloat32("b", [1], [2])]);
        SafetensorsWriter.Write(dir.File("model-00002-of-00002.safetensors"),
            [SafetensorsTensor.FromFloat32("b", [1], [3]), SafetensorsTensor.FromFloat32("c", [1], [4])]);
        File.WriteAllText(dir.File(CheckpointFileNames.Index), """
            {"metadata": {"total_size": 16}, "weight_map": {
              "a": "model-00001-of-00002.safetensors",
              "b": "model-00001-of-00002.safetensors",
              "c": "model-00002-of-00002.safetensors"}}
            """);
        var ex = OpenFails(dir.Path);
        Assert.Contains("tensor 'b' is stored in two shards: model-00001-of-00002.safetensors and model-00002-of-00002.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shard_tensor_missing_from_the_index_is_refused()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("config.json"), TinyModel.Config().ToJson());
        SafetensorsWriter.Write(dir.File("model-00001-of-00001.safetensors"),
            [SafetensorsTensor.FromFloat32("a", [1], [1]), SafetensorsTensor.FromFloat32("b", [1], [2])]);
        File.WriteAllText(dir.File(CheckpointFileNames.Index), """{"weight_map": {"a": "model-00001-of-00001.safetensors"}}""");
        var ex = OpenFails(dir.Path);
        Assert.Contains("holds tensor 'b', which the weight_map does not list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_pointing_outside_the_folder_is_refused()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("config.json"), TinyModel.Config().ToJson());
        File.WriteAllText(dir.File(CheckpointFileNames.Index), """{"weight_map": {"a": "../elsewhere.safetensors"}}""");
        var ex = OpenFails(dir.Path);
        Assert.Contains("weight_map entry 'a' must name a shard file in the same folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_shard_is_reported_with_its_file_name()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        CheckpointWriter.Write(dir.Path, config, TinyModel.Tensors(config), maxShardBytes: 8 * 1024);
        var shard = Directory.GetFiles(dir.Path, "model-00003-of-*.safetensors").Single();
        using (var stream = new FileStream(shard, FileMode.Open))
            stream.SetLength(stream.Length - 1);
        var ex = OpenFails(dir.Path);
        Assert.Contains(Path.GetFileName(shard), ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_tensor_name_is_refused()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        CheckpointWriter.Write(dir.Path, config, TinyModel.Tensors(config));
        using var checkpoint = CheckpointFolder.Open(dir.Path);
        var ex = Assert.Throws<CheckpointException>(() => checkpoint.Info("model.layers.9.mlp.up_proj.weight"));
        Assert.Contains("no tensor 'model.layers.9.mlp.up_proj.weight'", ex.Message, StringComparison.Ordinal);
    }
}
