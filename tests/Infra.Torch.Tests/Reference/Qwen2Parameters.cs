using Infra.Core.Checkpoints;

namespace Infra.Torch.Tests.Reference;

/// <summary>
/// Every parameter of a HF Qwen2 / Llama causal LM, by HF name and HF (row-major) shape.
/// </summary>
public static class Qwen2Parameters
{
    /// <summary>
    /// The parameters <paramref name="config"/> implies, in HF's module order. <c>lm_head.weight</c> is
    /// absent when embeddings are tied; q/k/v biases exist when <see cref="HfModelConfig.AttentionBias"/>;
    /// <c>o_proj.bias</c> exists only for Llama with <c>attention_bias</c> (HF's Qwen2 hard-codes none).
    /// </summary>
    public static IReadOnlyList<(string Name, int[] Shape)> Shapes(HfModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int hidden = config.HiddenSize, kvDim = config.NumKeyValueHeads * config.HeadDim;
        int qDim = config.NumAttentionHeads * config.HeadDim, inter = config.IntermediateSize;

        var shapes = new List<(string, int[])> { ("model.embed_tokens.weight", [config.VocabSize, hidden]) };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            shapes.Add((p + "self_attn.q_proj.weight", [qDim, hidden]));
            if (config.AttentionBias) shapes.Add((p + "self_attn.q_proj.bias", [qDim]));
            shapes.Add((p + "self_attn.k_proj.weight", [kvDim, hidden]));
            if (config.AttentionBias) shapes.Add((p + "self_attn.k_proj.bias", [kvDim]));
            shapes.Add((p + "self_attn.v_proj.weight", [kvDim, hidden]));
            if (config.AttentionBias) shapes.Add((p + "self_attn.v_proj.bias", [kvDim]));
            shapes.Add((p + "self_attn.o_proj.weight", [hidden, qDim]));
            if (HasOutputProjectionBias(config)) shapes.Add((p + "self_attn.o_proj.bias", [hidden]));
            shapes.Add((p + "mlp.gate_proj.weight", [inter, hidden]));
            shapes.Add((p + "mlp.up_proj.weight", [inter, hidden]));
            shapes.Add((p + "mlp.down_proj.weight", [hidden, inter]));
            shapes.Add((p + "input_layernorm.weight", [hidden]));
            shapes.Add((p + "post_attention_layernorm.weight", [hidden]));
        }
        shapes.Add(("model.norm.weight", [hidden]));
        if (!config.TieWordEmbeddings) shapes.Add(("lm_head.weight", [config.VocabSize, hidden]));
        return shapes;
    }

    /// <summary>
    /// HF's <c>LlamaAttention</c> gives <c>o_proj</c> a bias when <c>attention_bias</c> is set;
    /// <c>Qwen2Attention</c> never does, although its q/k/v always have one.
    /// </summary>
    public static bool HasOutputProjectionBias(HfModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ModelType == "llama" && config.AttentionBias;
    }
}
