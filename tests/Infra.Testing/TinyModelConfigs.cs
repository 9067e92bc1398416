using Infra.Core.Checkpoints;
using Infra.Torch.Model;

namespace Infra.Testing;

/// <summary>
/// The tiny Qwen2-architecture configurations the tests and benchmarks seed models from (q/k/v biases, 4 heads sharing
/// 2 key/value heads unless said otherwise, rope theta 10,000, eps 1e-6, untied head): small enough to run in milliseconds,
/// yet exercising every code path.
/// </summary>
public static class TinyModelConfigs
{
    /// <summary>A Qwen2 of the given size; <paramref name="vocab"/> defaults to the seeded checkpoint's byte-level tokenizer.</summary>
    public static HfModelConfig Qwen2(
        int hidden = 32, int intermediate = 64, int layers = 2, int? vocab = null, int maxPositions = 32_768, int heads = 4, int kvHeads = 2) => new()
    {
        ModelType = "qwen2",
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        VocabSize = vocab ?? SeededCheckpoint.ByteLevelVocabSize,
        RopeTheta = 10_000,
        RmsNormEps = 1e-6,
        MaxPositionEmbeddings = maxPositions,
    };

    /// <summary>
    /// The services' test model: hidden 32, intermediate 64, 2 layers, byte-level vocabulary, 512 positions
    /// (what a GradientService in the tests loads from a <see cref="SeededCheckpoint"/>).
    /// </summary>
    public static HfModelConfig Service { get; } = Qwen2(maxPositions: 512);

    /// <summary>Hidden 32, intermediate 48, 2 layers, vocab 61, 64 positions: the model-level (TorchSharp) tests' Qwen2.</summary>
    public static HfModelConfig Qwen2Vocab61 { get; } = Qwen2(intermediate: 48, vocab: 61, maxPositions: 64) with { AttentionBias = true };

    /// <summary>Hidden 32, intermediate 64, 2 layers, vocab 50, head dim 8: the Qwen2 compared with the reference implementation.</summary>
    public static HfModelConfig Qwen2Vocab50 { get; } = Qwen2(vocab: 50) with { AttentionBias = true };

    /// <summary>Hidden 16, intermediate 24, 2 layers, byte-level vocabulary, 64 positions: the validation tests' model.</summary>
    public static HfModelConfig Qwen2Hidden16 { get; } = Qwen2(hidden: 16, intermediate: 24, maxPositions: 64);
}
