using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Torch.Runtime;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>
/// Writes a complete HF checkpoint folder (config.json, model.safetensors, tokenizer.json,
/// tokenizer_config.json) for a freshly initialised model: weights drawn as HF initialises Qwen2
/// (normal(0, 0.02) for embeddings and linear weights, zero biases, unit norms) from a seed, and the
/// byte-level tokenizer with Qwen's special tokens. For benchmarks, tests and a demo before a model is trained.
/// </summary>
public static class SeededCheckpoint
{
    /// <summary>Qwen2.5's special tokens, in their id order.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>The byte-level tokenizer's vocabulary: 256 bytes + <see cref="SpecialTokens"/>.</summary>
    public static int ByteLevelVocabSize => 256 + SpecialTokens.Count;

    /// <summary>HF's Qwen2 initializer_range.</summary>
    public const double InitializerRange = 0.02;

    /// <summary>A model with seeded HF-style initial weights.</summary>
    public static Qwen2ForCausalLM Create(HfModelConfig config, int seed, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        return GlobalSeed.Run(seed, () =>
        {
            var model = new Qwen2ForCausalLM(config, device ?? CPU, dtype);
            using var noGrad = no_grad();
            foreach (var (name, p) in model.named_parameters())
            {
                if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
                else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
                else p.normal_(0, InitializerRange);
            }
            return model;
        });
    }

    /// <summary>
    /// Writes a seeded model with the byte-level tokenizer into <paramref name="folder"/>; the config's vocab
    /// size and EOS id are set to the tokenizer's. Returns the config written.
    /// </summary>
    public static HfModelConfig Write(string folder, HfModelConfig config, int seed, TensorDType dtype = TensorDType.F32)
    {
        ArgumentNullException.ThrowIfNull(config);
        var withVocab = config with { VocabSize = ByteLevelVocabSize, EosTokenId = 256 + 2, BosTokenId = null };
        using (var model = Create(withVocab, seed))
            CheckpointLoader.Save(model, folder, dtype);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), ByteLevelTokenizerJson.Create(SpecialTokens));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), ByteLevelTokenizerJson.CreateConfig("<|im_end|>", "<|endoftext|>"));
        return withVocab;
    }
}
