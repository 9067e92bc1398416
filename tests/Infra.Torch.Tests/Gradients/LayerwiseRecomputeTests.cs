using Infra.Core.Compression;
using Infra.Testing;
using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

/// <summary>
/// The layer-by-layer sweep (the forward pass recomputed one decoder layer at a time during the backward pass, for
/// examples whose whole graph would not fit) gives the factors of the one-graph computation.
/// </summary>
public sealed class LayerwiseRecomputeTests
{
    // The recomputed forward repeats the same operations; only the order of gradient accumulation can differ.
    private const double Tolerance = 1e-6;

    // 4 layers: a sweep with layers above, between and below the tracked ones.
    private static readonly Core.Checkpoints.HfModelConfig Config = TinyModelConfigs.Qwen2(intermediate: 48, layers: 4, vocab: 61, maxPositions: 64);

    [Theory]
    [InlineData(".*", 0, null)]  // every linear layer, attention included
    [InlineData(null, 1, 2)]     // MLP layers of the middle two decoder layers: the top one is swept through, untracked
    [InlineData(null, 3, 3)]     // the top layer alone
    public void The_sweep_gives_the_one_graph_factors_and_token_losses(string? pattern, int first, int? last)
    {
        using var model = TestModels.Create(Config, seed: 11);
        var selection = pattern is null ? new LayerSelection { FirstLayer = first, LastLayer = last } : new LayerSelection { Pattern = pattern, FirstLayer = first, LastLayer = last };
        var layers = selection.Select(model);
        var batch = Batch();
        var oneGraph = new FactorComputer(model, layers) { ActivationBudgetBytes = long.MaxValue };
        var swept = new FactorComputer(model, layers) { ActivationBudgetBytes = 0 };
        Assert.False(oneGraph.RecomputesLayerwise(batch));
        Assert.True(swept.RecomputesLayerwise(batch));

        using var expected = oneGraph.Run(batch);
        using var actual = swept.Run(batch);

        Assert.True(TestModels.RelativeError(TestModels.ToArray(actual.TokenLosses), TestModels.ToArray(expected.TokenLosses)) < Tolerance);
        for (var l = 0; l < layers.Count; l++)
        {
            var a = TestModels.RelativeError(TestModels.ToArray(actual.Inputs[l]), TestModels.ToArray(expected.Inputs[l]));
            var g = TestModels.RelativeError(TestModels.ToArray(actual.OutputGradients[l]), TestModels.ToArray(expected.OutputGradients[l]));
            Assert.True(a < Tolerance && g < Tolerance, $"{layers[l].Name}: a_t relative error {a}, g_t {g}");
            // Padding rows carry no gradient in the sweep either: Ĝ over the padded batch is the example's own sum.
            Assert.Equal(expected.OutputGradients[l].shape, actual.OutputGradients[l].shape);
        }
    }

    [Fact]
    public void The_engine_projects_each_layer_as_the_sweep_forms_it_and_gets_the_one_graph_results()
    {
        using var model = TestModels.Create(Config, seed: 12);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, new ProjectionSpec { KIn = 8, KOut = 6, Seed = 3 }, CPU);
        var batch = Batch();
        var expected = new GradientEngine(new FactorComputer(model, layers) { ActivationBudgetBytes = long.MaxValue }, projector).Compute(batch);
        var actual = new GradientEngine(new FactorComputer(model, layers) { ActivationBudgetBytes = 0 }, projector).Compute(batch);

        for (var i = 0; i < batch.Length; i++)
        {
            Assert.Equal(expected[i].Example.Id, actual[i].Example.Id);
            Assert.Equal(expected[i].LossTokens, actual[i].LossTokens);
            Assert.Equal(expected[i].Loss, actual[i].Loss, 5);
            Assert.True(TestModels.RelativeError(actual[i].TokenLosses, expected[i].TokenLosses) < Tolerance);
            for (var l = 0; l < layers.Count; l++)
            {
                var (x, y) = (expected[i].Layers[l], actual[i].Layers[l]);
                Assert.True(TestModels.RelativeError(y.Inputs!, x.Inputs!) < 1e-5, $"{i} a, layer {l}");
                Assert.True(TestModels.RelativeError(y.OutputGradients!, x.OutputGradients!) < 1e-5, $"{i} g, layer {l}");
                Assert.True(TestModels.RelativeError(y.ExampleGradient!, x.ExampleGradient!) < 1e-5, $"{i} G, layer {l}");
            }
        }
    }

    [Fact]
    public void The_graph_estimate_grows_with_tokens_and_the_layers_above_the_lowest_tracked_one()
    {
        using var model = TestModels.Create(Config, seed: 13);
        var all = new FactorComputer(model, new LayerSelection().Select(model));
        var top = new FactorComputer(model, new LayerSelection { FirstLayer = 3 }.Select(model));
        var batch = Batch();
        var perToken = 8L * Config.IntermediateSize + 4L * Config.HiddenSize;
        Assert.Equal(3L * 19 * 4 * perToken * 4, all.EstimatedGraphBytes(batch));
        Assert.Equal(3L * 19 * 1 * perToken * 4, top.EstimatedGraphBytes(batch));
        Assert.False(all.RecomputesLayerwise(batch)); // the 4 GiB default: a tiny model never recomputes
    }

    [Fact]
    public void A_bfloat16_graph_is_estimated_at_float32_size()
    {
        // Its graph keeps float32 intermediates: measured on an H200 at 0.87-0.94 of the float32 figure (FactorComputer).
        using var model = TestModels.Create(Config, seed: 13, ScalarType.BFloat16);
        var computer = new FactorComputer(model, new LayerSelection().Select(model));
        var perToken = 8L * Config.IntermediateSize + 4L * Config.HiddenSize;
        Assert.Equal(3L * 19 * 4 * perToken * 4, computer.EstimatedGraphBytes(Batch()));
    }

    // Right-padded to 19 tokens, loss scales other than 1, one example whose response is its last token only.
    private static TokenizedExample[] Batch() =>
    [
        TestModels.Example("short", 7, 1, Config.VocabSize, 41) with { LossScale = 0.5f },
        TestModels.Example("long", 19, 8, Config.VocabSize, 42),
        TestModels.Example("mid", 12, 11, Config.VocabSize, 43) with { LossScale = 3f },
    ];
}
