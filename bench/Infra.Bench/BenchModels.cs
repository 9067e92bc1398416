using Infra.Core.Checkpoints;
using Infra.Testing;

namespace Infra.Bench;

/// <summary>The model shapes measured. Weights are seeded (their values do not change the cost).</summary>
internal static class BenchModels
{
    /// <summary>Decoder layers of the real Qwen2.5-0.5B; the benchmark uses fewer (memory and time on 2 cores).</summary>
    public const int Qwen05BLayers = 24;

    /// <summary>hidden 64, intermediate 128, 2 layers, 4 heads, 2 kv heads, vocab 259.</summary>
    public static HfModelConfig Tiny { get; } = Small(hidden: 64, intermediate: 128, layers: 2);

    /// <summary>
    /// Qwen2.5-0.5B's shape (hidden 896, intermediate 4864, 14 heads, 2 kv heads, head_dim 64,
    /// rope_theta 1e6, tied embeddings, vocab 151,936) with <paramref name="layers"/> decoder layers.
    /// The full vocabulary is kept on purpose: the lm_head is a large share of the cost.
    /// </summary>
    public static HfModelConfig Qwen05BShape(int layers) => Scale.ModelShape.Qwen05B.WithLayers(layers).Config();

    /// <summary>
    /// Qwen2.5-1.5B's shape (hidden 1536, intermediate 8960, 12 heads, 2 kv heads, head_dim 128, rope_theta 1e6, tied
    /// embeddings, vocab 151,936) with <paramref name="layers"/> of its 28 decoder layers.
    /// </summary>
    public static HfModelConfig Qwen15BShape(int layers) => Scale.ModelShape.Qwen15B.WithLayers(layers).Config();

    /// <summary>A small Qwen2 with 4 heads and 2 kv heads (vocab 259: the seeded checkpoint's byte-level tokenizer).</summary>
    public static HfModelConfig Small(int hidden, int intermediate, int layers) =>
        TinyModelConfigs.Qwen2(hidden, intermediate, layers, vocab: 259);
}
