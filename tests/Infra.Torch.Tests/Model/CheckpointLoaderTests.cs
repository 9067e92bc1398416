using Infra.Core.Checkpoints;
using Infra.Torch.Model;
using Infra.Torch.Tests.Reference;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Model;

/// <summary>HF checkpoint folders in, the same logits out — single file, sharded, bf16, fp16.</summary>
public sealed class CheckpointLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(TensorDType.F32, 0L, 1e-4)]
    [InlineData(TensorDType.F32, 20_000L, 1e-4)]
    [InlineData(TensorDType.BF16, 20_000L, 5e-2)]
    [InlineData(TensorDType.F16, 0L, 5e-3)]
    public void A_saved_checkpoint_loads_back_and_matches_the_reference(TensorDType dtype, long shardBytes, double tolerance)
    {
        var config = TinyConfigs.Qwen2;
        var weights = SeededWeights.Create(config, seed: 21, std: 0.3);
        using var source = ForwardEquivalenceTests.Load(config, weights);
        var folder = Path.Combine(_root, $"{dtype}-{shardBytes}");
        CheckpointLoader.Save(source, folder, dtype, shardBytes);
        if (shardBytes > 0) Assert.True(File.Exists(Path.Combine(folder, "model.safetensors.index.json")));

        using var checkpoint = CheckpointFolder.Open(folder);
        using var loaded = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
        var ids = tensor(new long[] { 1, 5, 9, 2, 40, 33, 7 }, [1, 7]);
        var expected = new ReferenceQwen2(config, n => weights[n]).Logits([1, 5, 9, 2, 40, 33, 7]);
        var actual = TestModels.ToArray(loaded.call(ids));
        double maxDiff = 0, maxAbs = 0;
        for (var t = 0; t < 7; t++)
            for (var v = 0; v < config.VocabSize; v++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(actual[t * config.VocabSize + v] - expected[t, v]));
                maxAbs = Math.Max(maxAbs, Math.Abs(expected[t, v]));
            }
        Assert.True(maxDiff <= tolerance * Math.Max(1, maxAbs), $"{dtype}: max |diff| {maxDiff}");
    }

    [Fact]
    public void A_checkpoint_with_a_wrong_shape_is_refused_naming_the_tensor_and_both_shapes()
    {
        var config = TinyConfigs.Qwen2;
        var weights = SeededWeights.Create(config, seed: 22);
        var shapes = Qwen2Parameters.Shapes(config).ToDictionary(s => s.Name, s => s.Shape.Select(d => (long)d).ToArray());
        shapes["model.layers.0.mlp.down_proj.weight"] = [64, 32];
        var folder = Path.Combine(_root, "bad");
        CheckpointWriter.Write(folder, config, weights.Select(kv => (kv.Key, shapes[kv.Key], kv.Value)));
        using var checkpoint = CheckpointFolder.Open(folder);
        var error = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32));
        Assert.Contains("model.layers.0.mlp.down_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[32, 64]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 32]", error.Message, StringComparison.Ordinal);
    }
}
