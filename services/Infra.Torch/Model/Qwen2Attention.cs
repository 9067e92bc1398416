using TorchSharp.Modules;
using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>Grouped-query causal self-attention with rotary embeddings (HF Qwen2Attention).</summary>
public sealed class Qwen2Attention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear _q, _k, _v, _o;
    private readonly int _heads, _kvHeads, _headDim;
    private readonly string _prefix;
    private readonly CaptureSlot _slot;

    public Qwen2Attention(HfModelConfig config, int layer, CaptureSlot slot, Device device, ScalarType dtype)
        : base(nameof(Qwen2Attention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _prefix = $"model.layers.{layer}.self_attn";
        _slot = slot;
        _q = nn.Linear(config.HiddenSize, _heads * _headDim, config.AttentionBias, device, dtype);
        _k = nn.Linear(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias, device, dtype);
        _v = nn.Linear(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias, device, dtype);
        // HF: Qwen2's o_proj never has a bias; Llama's has one exactly when attention_bias is set.
        var outputBias = config.ModelType == "llama" && config.AttentionBias;
        _o = nn.Linear(_heads * _headDim, config.HiddenSize, outputBias, device, dtype);
        register_module("q_proj", _q);
        register_module("k_proj", _k);
        register_module("v_proj", _v);
        register_module("o_proj", _o);
    }

    /// <summary><paramref name="x"/> is <c>[B, T, hidden]</c>; cos/sin are <c>[T, head_dim]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin) => Attend(x, cos, sin, cache: null);

    /// <summary>
    /// Incremental attention: <paramref name="x"/> holds the new positions <c>[B, T, hidden]</c>, which start at
    /// <c>cache.Length</c>; cos/sin are their rows <c>[T, head_dim]</c>. The new keys/values are appended to
    /// <paramref name="cache"/> and the queries attend over every cached position up to their own.
    /// </summary>
    internal Tensor ForwardCached(Tensor x, Tensor cos, Tensor sin, LayerKvCache cache, long position) =>
        Attend(x, cos, sin, (cache, position));

    private Tensor Attend(Tensor x, Tensor cos, Tensor sin, (LayerKvCache Cache, long Position)? cache)
    {
        var (b, t) = (x.shape[0], x.shape[1]);
        var q = Heads(_slot.Call(_q, _prefix + ".q_proj", x), _heads, b, t);
        var k = Heads(_slot.Call(_k, _prefix + ".k_proj", x), _kvHeads, b, t);
        var v = Heads(_slot.Call(_v, _prefix + ".v_proj", x), _kvHeads, b, t);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        var position = 0L;
        if (cache is { } c)
        {
            (k, v) = c.Cache.Append(k, v, c.Position);
            position = c.Position;
        }
        if (_kvHeads != _heads)
        {
            var groups = _heads / _kvHeads;
            k = k.repeat_interleave(groups, 1);
            v = v.repeat_interleave(groups, 1);
        }
        // Causal masking alone keeps right-padded batches exact: a real token never attends to
        // the padding after it. With earlier positions cached, is_causal would align the mask to the
        // top-left (query i sees key i), so new queries after a prefix get an explicit mask instead.
        var attended = position == 0
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)
            : t == 1
                ? nn.functional.scaled_dot_product_attention(q, k, v)
                : nn.functional.scaled_dot_product_attention(q, k, v, OffsetCausalMask(t, position, x.device));
        var merged = attended.transpose(1, 2).reshape(b, t, _heads * _headDim);
        return _slot.Call(_o, _prefix + ".o_proj", merged);
    }

    // True where query i (at absolute position position+i) may attend to key j: j <= position + i.
    // Built on the host: no implicit TorchSharp Scalar (see RotaryEmbedding.Tables).
    private static Tensor OffsetCausalMask(long t, long position, Device device)
    {
        var keys = position + t;
        var allowed = new bool[t * keys];
        for (long i = 0; i < t; i++)
            for (long j = 0; j <= position + i; j++)
                allowed[i * keys + j] = true;
        return tensor(allowed, [t, keys]).to(device);
    }

    private Tensor Heads(Tensor projected, int heads, long b, long t) =>
        projected.view(b, t, heads, _headDim).transpose(1, 2);
}
