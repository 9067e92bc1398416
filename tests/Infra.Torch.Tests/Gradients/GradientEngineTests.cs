using Infra.Core.Compression;
using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

public sealed class GradientEngineTests
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    [Fact]
    public void Projected_factors_equal_the_projection_of_the_exact_factors()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers);
        var spec = new ProjectionSpec { KIn = 8, KOut = 6, Seed = 42 };
        using var exactProjector = new Projector(layers, ProjectionSpec.Exact, CPU);
        using var projector = new Projector(layers, spec, CPU);
        var examples = new[] { TestModels.Example("a", 9, 4, Vocab, 1), TestModels.Example("b", 14, 6, Vocab, 2) };
        var exact = new GradientEngine(computer, exactProjector).Compute(examples);
        var projected = new GradientEngine(computer, projector).Compute(examples);

        for (var e = 0; e < examples.Length; e++)
        {
            var t = examples[e].Ids.Length;
            for (var l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                var pIn = RandomProjection.Create(42, layer.Name, RandomProjection.Side.Input, 8, layer.DIn);
                var pOut = RandomProjection.Create(42, layer.Name, RandomProjection.Side.Output, 6, layer.DOut);
                var x = exact[e].Layers[l];
                var y = projected[e].Layers[l];
                Assert.Equal((8, 6), (y.KIn, y.KOut));
                var aHat = MatMulTransposed(x.Inputs!, t, layer.DIn, pIn, 8);
                var gHat = MatMulTransposed(x.OutputGradients!, t, layer.DOut, pOut, 6);
                Assert.True(TestModels.RelativeError(y.Inputs!, aHat) < 1e-5);
                Assert.True(TestModels.RelativeError(y.OutputGradients!, gHat) < 1e-5);
                // Ĝ = P_out G P_inᵀ with G the exact example gradient.
                var gHatExample = MatMulTransposed(Transpose(MatMulTransposed(Transpose(x.ExampleGradient!, layer.DOut, layer.DIn), layer.DIn, layer.DOut, pOut, 6), layer.DIn, 6), 6, layer.DIn, pIn, 8);
                Assert.True(TestModels.RelativeError(y.ExampleGradient!, gHatExample) < 1e-5);
            }
        }
    }

    [Fact]
    public void An_example_has_the_same_factors_alone_and_inside_a_padded_batch()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 6);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, new ProjectionSpec { KIn = 16, KOut = 16, Seed = 7 }, CPU);
        var engine = new GradientEngine(new FactorComputer(model, layers), projector);
        var target = TestModels.Example("target", 10, 5, Vocab, 21);
        var alone = engine.Compute([target])[0];
        var batched = engine.Compute([TestModels.Example("x", 30, 9, Vocab, 22), target, TestModels.Example("y", 17, 3, Vocab, 23)])[1];

        Assert.Equal(alone.Loss, batched.Loss, 5);
        Assert.True(TestModels.RelativeError(batched.TokenLosses, alone.TokenLosses) < 1e-5);
        for (var l = 0; l < layers.Count; l++)
        {
            Assert.True(TestModels.RelativeError(batched.Layers[l].Inputs!, alone.Layers[l].Inputs!) < 1e-5, $"a, layer {l}");
            Assert.True(TestModels.RelativeError(batched.Layers[l].OutputGradients!, alone.Layers[l].OutputGradients!) < 1e-5, $"g, layer {l}");
            Assert.True(TestModels.RelativeError(batched.Layers[l].ExampleGradient!, alone.Layers[l].ExampleGradient!) < 1e-5, $"G, layer {l}");
        }
    }

    [Fact]
    public void Example_gradient_is_the_sum_of_token_outer_products_and_loss_is_the_sum_of_token_losses()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 8);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, new ProjectionSpec { KIn = 5, KOut = 4, Seed = 1 }, CPU);
        var result = new GradientEngine(new FactorComputer(model, layers), projector).Compute([TestModels.Example("e", 11, 4, Vocab, 3)])[0];
        Assert.Equal(result.TokenLosses.Sum(), result.Loss, 5);
        Assert.Equal(4, result.LossTokens);
        foreach (var layer in result.Layers)
        {
            var sum = new float[4 * 5];
            for (var t = 0; t < 11; t++)
                for (var i = 0; i < 4; i++)
                    for (var j = 0; j < 5; j++)
                        sum[i * 5 + j] += layer.OutputGradients![t * 4 + i] * layer.Inputs![t * 5 + j];
            Assert.True(TestModels.RelativeError(layer.ExampleGradient!, sum) < 1e-5);
        }
    }

    [Fact]
    public void Bad_examples_are_refused_with_the_example_and_the_reason()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny);
        var computer = new FactorComputer(model, new LayerSelection().Select(model), maxLength: 16);
        string Reason(TokenizedExample e) => Assert.Throws<InvalidExampleException>(() => computer.Prepare(e, false, out _)).Message;

        Assert.Contains("'empty': has no tokens", Reason(new TokenizedExample("empty", [], [])), StringComparison.Ordinal);
        Assert.Contains("empty response", Reason(new TokenizedExample("noresp", [1, 2, 3], [0, 0, 0])), StringComparison.Ordinal);
        Assert.Contains("loss mask has 2 entries for 3 tokens", Reason(new TokenizedExample("m", [1, 2, 3], [0, 1])), StringComparison.Ordinal);
        Assert.Contains("token id 61 at position 1 is out of range [0, 61)", Reason(new TokenizedExample("r", [1, 61], [0, 1])), StringComparison.Ordinal);
        Assert.Contains("token id -1", Reason(new TokenizedExample("n", [1, -1], [0, 1])), StringComparison.Ordinal);
        Assert.Contains("too long: 20 tokens, the limit is 16", Reason(TestModels.Example("long", 20, 5, Vocab, 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Truncation_cuts_the_tail_when_asked_and_refuses_when_no_response_is_left()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny);
        var computer = new FactorComputer(model, new LayerSelection().Select(model), maxLength: 16);
        var cut = computer.Prepare(TestModels.Example("long", 20, 10, Vocab, 1), truncate: true, out var truncated);
        Assert.True(truncated);
        Assert.Equal(16, cut.Ids.Length);
        var error = Assert.Throws<InvalidExampleException>(() => computer.Prepare(TestModels.Example("tail", 20, 3, Vocab, 1), true, out _));
        Assert.Contains("no response tokens left after truncation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_selection_by_pattern_and_range()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny);
        var defaults = new LayerSelection().Select(model);
        Assert.Equal(["model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj", "model.layers.0.mlp.down_proj",
            "model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj", "model.layers.1.mlp.down_proj"], defaults.Select(l => l.Name));
        Assert.Equal((32, 48), (defaults[0].DIn, defaults[0].DOut));
        Assert.Equal((48, 32), (defaults[2].DIn, defaults[2].DOut));
        var downOnLast = new LayerSelection { Pattern = "down_proj$", FirstLayer = 1 }.Select(model);
        Assert.Equal("model.layers.1.mlp.down_proj", Assert.Single(downOnLast).Name);
        Assert.Throws<ArgumentException>(() => new LayerSelection { FirstLayer = 2 }.Select(model));
        Assert.Throws<ArgumentException>(() => new LayerSelection { Pattern = "nothing" }.Select(model));
        Assert.Throws<ArgumentException>(() => new LayerSelection { Pattern = "(" }.Select(model));
    }

    // x [rows, d] times pᵀ where p is [k, d] -> [rows, k]
    internal static float[] MatMulTransposed(float[] x, int rows, int d, float[] p, int k)
    {
        var result = new float[rows * k];
        for (var r = 0; r < rows; r++)
            for (var i = 0; i < k; i++)
            {
                double sum = 0;
                for (var j = 0; j < d; j++) sum += (double)x[r * d + j] * p[i * d + j];
                result[r * k + i] = (float)sum;
            }
        return result;
    }

    internal static float[] Transpose(float[] x, int rows, int cols)
    {
        var result = new float[x.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                result[c * rows + r] = x[r * cols + c];
        return result;
    }
}
