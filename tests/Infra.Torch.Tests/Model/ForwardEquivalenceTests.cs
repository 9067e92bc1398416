using Infra.Core.Checkpoints;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Torch.Tests.Reference;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Model;

/// <summary>The TorchSharp model against the independent plain-C# reference (fp64 loops), to 1e-4.</summary>
public sealed class ForwardEquivalenceTests
{
    public static TheoryData<string> Configs => TinyConfigs.Names;

    [Theory]
    [MemberData(nameof(Configs))]
    public void Logits_match_the_reference_implementation(string name)
    {
        var config = TinyConfigs.ByName(name);
        var weights = SeededWeights.Create(config, seed: 17, std: 0.3);
        using var model = Load(config, weights);
        var reference = new ReferenceQwen2(config, n => weights[n]);
        var ids = new Random(5).GetItems(Enumerable.Range(0, config.VocabSize).ToArray(), 23);

        var expected = reference.Logits(ids);
        using var logits = model.call(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]));
        var actual = TestModels.ToArray(logits);
        double maxDiff = 0;
        for (var t = 0; t < ids.Length; t++)
            for (var v = 0; v < config.VocabSize; v++)
                maxDiff = Math.Max(maxDiff, Math.Abs(actual[t * config.VocabSize + v] - expected[t, v]));
        Assert.True(maxDiff < 1e-4, $"max |logit difference| = {maxDiff}");
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Captured_mlp_inputs_and_token_losses_match_the_reference(string name)
    {
        var config = TinyConfigs.ByName(name);
        var weights = SeededWeights.Create(config, seed: 18, std: 0.3);
        using var model = Load(config, weights);
        var reference = new ReferenceQwen2(config, n => weights[n]);
        var ids = new Random(6).GetItems(Enumerable.Range(0, config.VocabSize).ToArray(), 15);
        var mask = ids.Select((_, i) => (byte)(i >= 6 ? 1 : 0)).ToArray();
        var layers = new LayerSelection().Select(model);
        using var factors = new FactorComputer(model, layers).Run([new TokenizedExample("x", ids, mask)]);

        var activations = reference.MlpLinearActivations(ids);
        for (var l = 0; l < layers.Count; l++)
        {
            var (inputs, _) = activations[layers[l].Name];
            var actual = TestModels.ToArray(factors.Inputs[l][0]);
            for (var t = 0; t < ids.Length; t++)
                for (var j = 0; j < layers[l].DIn; j++)
                    Assert.True(Math.Abs(actual[t * layers[l].DIn + j] - inputs[t, j]) < 1e-4, $"{layers[l].Name} a[{t},{j}]");
        }
        var losses = reference.TokenLosses(ids);
        var actualLosses = TestModels.ToArray(factors.TokenLosses[0]);
        for (var t = 0; t < ids.Length; t++)
            Assert.Equal(mask[t] == 1 ? losses[t] : 0, actualLosses[t], 4);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_named_with_both_shapes()
    {
        var config = TinyConfigs.Qwen2;
        var weights = SeededWeights.Create(config, seed: 1);
        using var model = new Qwen2ForCausalLM(config, CPU, ScalarType.Float32);
        var shapes = Qwen2Parameters.Shapes(config).ToDictionary(s => s.Name, s => s.Shape.Select(d => (long)d).ToArray());
        var error = Assert.Throws<CheckpointException>(() => model.LoadParameters(n =>
            n == "model.layers.1.mlp.up_proj.weight"
                ? (weights[n], shapes[n].Reverse().ToArray())
                : (weights[n], shapes[n])));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected shape [64, 32], found [32, 64]", error.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<CheckpointException>(() => model.LoadParameters(n => n == "model.norm.weight" ? null : (weights[n], shapes[n])));
        Assert.Contains("missing tensor 'model.norm.weight'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bf16_compute_stays_close_to_fp32()
    {
        var config = TinyConfigs.Qwen2;
        var weights = SeededWeights.Create(config, seed: 19, std: 0.3);
        using var fp32 = Load(config, weights);
        using var bf16 = Load(config, weights, ScalarType.BFloat16);
        var ids = tensor(Enumerable.Range(0, 12).Select(i => (long)(i * 3 % config.VocabSize)).ToArray(), [1, 12]);
        using var a = fp32.call(ids);
        using var b = bf16.call(ids);
        var error = TestModels.RelativeError(TestModels.ToArray(b), TestModels.ToArray(a));
        Assert.True(error < 0.05, $"bf16 vs fp32 relative error {error}");
    }

    internal static Qwen2ForCausalLM Load(HfModelConfig config, Dictionary<string, float[]> weights, ScalarType dtype = ScalarType.Float32)
    {
        var shapes = Qwen2Parameters.Shapes(config).ToDictionary(s => s.Name, s => s.Shape.Select(d => (long)d).ToArray());
        var model = new Qwen2ForCausalLM(config, CPU, dtype);
        model.LoadParameters(n => weights.TryGetValue(n, out var w) ? (w, shapes[n]) : null);
        return model;
    }
}
