using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

/// <summary>
/// Logits at the loss positions only, in chunks, give the factors of the full computation: every position's logits
/// formed by the model's forward pass and a masked cross-entropy differentiated by autograd (the engine before issue 14).
/// </summary>
public sealed class LossPositionTests
{
    // Float rounding of a different order of operations; a wrong position or a missed term is orders of magnitude above it.
    private const double Tolerance = 2e-6;

    [Theory]
    [InlineData("qwen2")]
    [InlineData("llama")]
    public void Factors_and_token_losses_equal_the_full_logits_computation(string family)
    {
        var config = family == "qwen2" ? TestModels.Qwen2Tiny : TestModels.LlamaTiedTiny;
        using var model = TestModels.Create(config, seed: 8);
        var layers = new LayerSelection { Pattern = ".*" }.Select(model);
        var batch = Batch(config.VocabSize);
        using var factors = new FactorComputer(model, layers).Run(batch);
        var (inputs, gradients, losses) = FullLogits(model, layers, batch);

        Assert.True(TestModels.RelativeError(TestModels.ToArray(factors.TokenLosses), losses) < Tolerance);
        for (var l = 0; l < layers.Count; l++)
        {
            var a = TestModels.RelativeError(TestModels.ToArray(factors.Inputs[l]), inputs[l]);
            var g = TestModels.RelativeError(TestModels.ToArray(factors.OutputGradients[l]), gradients[l]);
            Assert.True(a < Tolerance && g < Tolerance, $"{layers[l].Name}: a_t relative error {a}, g_t {g}");
        }
    }

    [Fact]
    public void Chunks_of_loss_positions_give_the_unchunked_factors()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 9);
        var layers = new LayerSelection().Select(model);
        var batch = Batch(TestModels.Qwen2Tiny.VocabSize);
        var rows = batch.Sum(e => e.LossMask.Skip(1).Count(m => m != 0));
        using var whole = new FactorComputer(model, layers) { LossChunk = rows }.Run(batch);
        // 3 rows a chunk: several chunks, the last one partial, and chunks that straddle two examples.
        Assert.NotEqual(0, rows % 3);
        using var chunked = new FactorComputer(model, layers) { LossChunk = 3 }.Run(batch);

        Assert.True(TestModels.RelativeError(TestModels.ToArray(chunked.TokenLosses), TestModels.ToArray(whole.TokenLosses)) < Tolerance);
        for (var l = 0; l < layers.Count; l++)
        {
            var g = TestModels.RelativeError(TestModels.ToArray(chunked.OutputGradients[l]), TestModels.ToArray(whole.OutputGradients[l]));
            Assert.True(g < Tolerance, $"{layers[l].Name}: g_t relative error {g}");
        }
    }

    // Right-padded to 19 tokens, loss scales other than 1, one response that ends the batch's longest example.
    private static TokenizedExample[] Batch(int vocab) =>
    [
        TestModels.Example("short", 7, 3, vocab, 31) with { LossScale = 0.25f },
        TestModels.Example("long", 19, 8, vocab, 32),
        TestModels.Example("mid", 12, 11, vocab, 33) with { LossScale = 2f },
    ];

    /// <summary>a_t, g_t per tracked layer ([B, T, d] flattened) and token losses ([B, T]) with logits at every position.</summary>
    private static (float[][] Inputs, float[][] Gradients, float[] Losses) FullLogits(
        Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, TokenizedExample[] batch)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (batch.Length, batch.Max(e => e.Ids.Length));
        var ids = new long[b * t];
        var mask = new float[b * t];
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < batch[i].Ids.Length; j++)
            {
                ids[i * t + j] = batch[i].Ids[j];
                mask[i * t + j] = batch[i].LossMask[j];
            }
        }
        var idTensor = tensor(ids, [b, t]);
        var capture = new LinearCapture(layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal));
        model.Capture.Active = capture;
        Tensor logits;
        try
        {
            logits = model.call(idTensor);
        }
        finally
        {
            model.Capture.Active = null;
        }
        var vocab = logits.shape[2];
        var ce = nn.functional.cross_entropy(logits.narrow(1, 0, t - 1).reshape(-1, vocab), idTensor.narrow(1, 1, t - 1).reshape(-1),
            reduction: nn.Reduction.None).view(b, t - 1) * tensor(mask, [b, t]).narrow(1, 1, t - 1);
        var tokenLosses = cat([zeros(b, 1), ce], 1);
        var loss = (tokenLosses.sum([1L]) * tensor(batch.Select(e => e.LossScale).ToArray())).sum();
        var records = layers.Select(l => capture.Get(l.Name)).ToList();
        var gradients = torch.autograd.grad([loss], records.Select(r => r.Output).ToList());
        return (records.Select(r => TestModels.ToArray(r.Input)).ToArray(), gradients.Select(TestModels.ToArray).ToArray(),
            TestModels.ToArray(tokenLosses));
    }
}
