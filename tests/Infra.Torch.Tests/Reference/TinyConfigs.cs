using Infra.Core.Checkpoints;

namespace Infra.Torch.Tests.Reference;

/// <summary>Small decoder configurations that exercise every code path yet run in milliseconds.</summary>
public static class TinyConfigs
{
    /// <summary>
    /// Qwen2 with q/k/v biases and grouped-query attention: hidden 32, intermediate 64, 2 layers,
    /// 4 heads of dim 8 sharing 2 key/value heads, vocab 50, rope theta 10,000, eps 1e-6, untied head
    /// (<see cref="TinyModelConfigs.Qwen2Vocab50"/>).
    /// </summary>
    public static HfModelConfig Qwen2 => TinyModelConfigs.Qwen2Vocab50;

    /// <summary>
    /// Llama without attention biases and with the LM head tied to the embeddings; otherwise as <see cref="Qwen2"/>
    /// except eps 1e-5 (Llama's usual value) so that a wrong eps would show.
    /// </summary>
    public static HfModelConfig LlamaTied { get; } = Qwen2 with
    {
        ModelType = "llama",
        AttentionBias = false,
        TieWordEmbeddings = true,
        RmsNormEps = 1e-5,
    };

    /// <summary>Both configurations, for theories.</summary>
    public static TheoryData<string> Names => ["qwen2", "llama-tied"];

    /// <summary>The configuration called <paramref name="name"/> in <see cref="Names"/>.</summary>
    public static HfModelConfig ByName(string name) => name switch
    {
        "qwen2" => Qwen2,
        "llama-tied" => LlamaTied,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown tiny config"),
    };
}
