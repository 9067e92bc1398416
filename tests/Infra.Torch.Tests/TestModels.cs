using Infra.Core.Checkpoints;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Tests;

/// <summary>Tiny Qwen2-architecture models with seeded weights, and seeded token sequences.</summary>
internal static class TestModels
{
    /// <summary>Hidden 32, intermediate 48, vocab 61: <see cref="TinyModelConfigs.Qwen2Vocab61"/>.</summary>
    public static HfModelConfig Qwen2Tiny => TinyModelConfigs.Qwen2Vocab61;

    public static HfModelConfig LlamaTiedTiny { get; } = Qwen2Tiny with
    {
        ModelType = "llama",
        AttentionBias = false,
        TieWordEmbeddings = true,
        NumKeyValueHeads = 4,
    };

    /// <summary>A model whose weights are drawn with a fixed seed (non-trivial norms too).</summary>
    public static Qwen2ForCausalLM Create(HfModelConfig config, int seed = 1, ScalarType dtype = ScalarType.Float32)
    {
        // libtorch's generator is global and test classes run in parallel: GlobalSeed keeps another
        // thread's draws from interleaving, so the same seed gives the same weights.
        return Infra.Torch.Runtime.GlobalSeed.Run(seed, () => CreateLocked(config, seed, dtype));
    }

    /// <summary>A second model with exactly the parameters of <paramref name="model"/>.</summary>
    public static Qwen2ForCausalLM Twin(Qwen2ForCausalLM model)
    {
        var twin = new Qwen2ForCausalLM(model.Config, CPU, model.DType);
        var source = model.ExportParameters().ToDictionary(p => p.Name);
        twin.LoadParameters(name => (source[name].Data, source[name].Shape));
        return twin;
    }

    private static Qwen2ForCausalLM CreateLocked(HfModelConfig config, int seed, ScalarType dtype)
    {
        var model = new Qwen2ForCausalLM(config, CPU, dtype);
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            // Norm weights around 1, everything else small Gaussian, so signals neither vanish nor explode.
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                p.copy_(ones_like(p) + 0.1 * randn_like(p));
            else
                p.copy_(0.08 * randn_like(p));
        }
        return model;
    }

    /// <summary>A sequence of <paramref name="length"/> ids whose last <paramref name="responseTokens"/> carry loss.</summary>
    public static TokenizedExample Example(string id, int length, int responseTokens, int vocab, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, length).Select(_ => random.Next(vocab)).ToArray();
        var mask = Enumerable.Range(0, length).Select(i => (byte)(i >= length - responseTokens ? 1 : 0)).ToArray();
        return new TokenizedExample(id, ids, mask);
    }

    /// <summary>Largest absolute difference between two arrays, relative to the largest magnitude of <paramref name="expected"/>.</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, maxAbs = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[i]));
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }

    public static float[] ToArray(Tensor t) => t.detach().to(ScalarType.Float32).contiguous().cpu().data<float>().ToArray();
}
