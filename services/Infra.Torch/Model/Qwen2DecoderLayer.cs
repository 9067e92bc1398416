using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>Pre-norm decoder block: <c>h = x + attn(norm(x))</c>, <c>out = h + mlp(norm(h))</c>.</summary>
public sealed class Qwen2DecoderLayer : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly RmsNorm _inputNorm, _postNorm;
    private readonly Qwen2Attention _attention;
    private readonly Qwen2Mlp _mlp;

    public Qwen2DecoderLayer(HfModelConfig config, int layer, CaptureSlot slot, Device device, ScalarType dtype)
        : base(nameof(Qwen2DecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        _inputNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _attention = new Qwen2Attention(config, layer, slot, device, dtype);
        _postNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        _mlp = new Qwen2Mlp(config, layer, slot, device, dtype);
        register_module("input_layernorm", _inputNorm);
        register_module("self_attn", _attention);
        register_module("post_attention_layernorm", _postNorm);
        register_module("mlp", _mlp);
    }

    public override Tensor forward(Tensor x, Tensor cos, Tensor sin)
    {
        var h = x + _attention.call(_inputNorm.call(x), cos, sin);
        return h + _mlp.call(_postNorm.call(h));
    }

    /// <summary>The block on new positions starting at <paramref name="position"/>, attending through <paramref name="cache"/>.</summary>
    internal Tensor ForwardCached(Tensor x, Tensor cos, Tensor sin, LayerKvCache cache, long position)
    {
        var h = x + _attention.ForwardCached(_inputNorm.call(x), cos, sin, cache, position);
        return h + _mlp.call(_postNorm.call(h));
    }
}
