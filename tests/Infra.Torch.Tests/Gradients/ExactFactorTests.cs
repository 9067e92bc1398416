using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

/// <summary>The per-token factors reproduce autograd's weight gradient exactly: <c>sum_t g_t a_tᵀ == dL/dW</c>.</summary>
public sealed class ExactFactorTests
{
    [Theory]
    [InlineData("qwen2")]
    [InlineData("llama")]
    public void Sum_over_tokens_of_g_a_equals_the_weight_gradient_for_every_linear_layer(string family)
    {
        var config = family == "qwen2" ? TestModels.Qwen2Tiny : TestModels.LlamaTiedTiny;
        using var model = TestModels.Create(config, seed: 3);
        var layers = new LayerSelection { Pattern = ".*" }.Select(model);
        Assert.Equal(7 * config.NumHiddenLayers, layers.Count);
        var computer = new FactorComputer(model, layers);
        var examples = new[]
        {
            TestModels.Example("short", 7, 3, config.VocabSize, 11),
            TestModels.Example("long", 19, 8, config.VocabSize, 12),
            TestModels.Example("mid", 12, 12, config.VocabSize, 13),
        };
        using var factors = computer.Run(examples);

        for (var b = 0; b < examples.Length; b++)
        {
            var expected = AutogradWeightGradients(model, examples[b]);
            for (var l = 0; l < layers.Count; l++)
            {
                var len = examples[b].Ids.Length;
                var a = factors.Inputs[l][b].narrow(0, 0, len);
                var g = factors.OutputGradients[l][b].narrow(0, 0, len);
                var fromFactors = TestModels.ToArray(g.t().matmul(a));
                var error = TestModels.RelativeError(fromFactors, expected[layers[l].Name]);
                Assert.True(error < 1e-5, $"{examples[b].Id} {layers[l].Name}: relative error {error}");
            }
        }
    }

    [Fact]
    public void Padding_rows_carry_no_gradient_and_token_losses_match_log_softmax()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 4);
        var computer = new FactorComputer(model, new LayerSelection().Select(model));
        var shortOne = TestModels.Example("s", 5, 2, 61, 1);
        var longOne = TestModels.Example("l", 16, 4, 61, 2);
        using var factors = computer.Run([shortOne, longOne]);
        foreach (var g in factors.OutputGradients)
            Assert.Equal(0f, g[0].narrow(0, 5, 11).abs().max().item<float>());

        using var logits = model.call(tensor(shortOne.Ids.Select(i => (long)i).ToArray(), [1, 5]));
        using var logp = logits.log_softmax(-1);
        var losses = TestModels.ToArray(factors.TokenLosses[0].narrow(0, 0, 5));
        for (var t = 0; t < 5; t++)
        {
            var expected = t >= 1 && shortOne.LossMask[t] == 1 ? -logp[0, t - 1, shortOne.Ids[t]].item<float>() : 0f;
            Assert.Equal(expected, losses[t], 5);
        }
    }

    /// <summary>dL/dW by plain autograd on the example alone, L = sum of masked token cross-entropies.</summary>
    internal static Dictionary<string, float[]> AutogradWeightGradients(Qwen2ForCausalLM model, TokenizedExample example)
    {
        model.zero_grad();
        var t = example.Ids.Length;
        using (var scope = NewDisposeScope())
        {
            var ids = tensor(example.Ids.Select(i => (long)i).ToArray(), [1, t]);
            var logp = model.call(ids).log_softmax(-1);
            var loss = zeros(1);
            for (var j = 1; j < t; j++)
            {
                if (example.LossMask[j] != 0)
                    loss = loss - logp[0, j - 1, example.Ids[j]] * example.LossScale;
            }
            loss.backward();
        }
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith(".weight", StringComparison.Ordinal) && p.grad is { } grad)
                result[name[..^".weight".Length]] = TestModels.ToArray(grad);
        }
        model.zero_grad();
        return result;
    }
}
