using TorchSharp.Modules;
using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>The decoder stack, HF's <c>model.*</c>: embeddings, layers, final norm.</summary>
public sealed class Qwen2Model : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embed;
    private readonly ModuleList<Qwen2DecoderLayer> _layers;
    private readonly RmsNorm _norm;
    private readonly HfModelConfig _config;

    public Qwen2Model(HfModelConfig config, CaptureSlot slot, Device device, ScalarType dtype) : base(nameof(Qwen2Model))
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _embed = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        _layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(i => new Qwen2DecoderLayer(config, i, slot, device, dtype)).ToArray());
        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        register_module("embed_tokens", _embed);
        register_module("layers", _layers);
        register_module("norm", _norm);
    }

    /// <summary>The token embedding matrix <c>[vocab, hidden]</c> (the head's weight when embeddings are tied).</summary>
    public Tensor EmbeddingWeight => _embed.weight ?? throw new InvalidOperationException("embedding has no weight");

    /// <summary>Hidden states <c>[B, T, hidden]</c> after the final norm, for token ids <c>[B, T]</c> at positions 0..T-1.</summary>
    public override Tensor forward(Tensor inputIds) => _norm.call(Decode(inputIds));

    /// <summary>
    /// The last decoder layer's output <c>[B, T, hidden]</c>, before the final norm. The norm works on each position
    /// alone, so a caller that needs only some positions gathers them first and normalises those with <see cref="Norm"/>.
    /// </summary>
    internal Tensor Decode(Tensor inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var (cos, sin) = RotaryEmbedding.Tables(inputIds.shape[1], _config.HeadDim, _config.RopeTheta, inputIds.device);
        var x = _embed.call(inputIds);
        foreach (var layer in _layers)
            x = layer.call(x, cos, sin);
        return x;
    }

    /// <summary>The number of decoder layers.</summary>
    internal int LayerCount => _layers.Count;

    /// <summary>The rotary tables for positions 0..<paramref name="length"/>-1, as <see cref="Decode"/> uses them.</summary>
    internal (Tensor Cos, Tensor Sin) Rotary(long length, Device device) =>
        RotaryEmbedding.Tables(length, _config.HeadDim, _config.RopeTheta, device);

    /// <summary>The token embeddings <c>[B, T, hidden]</c>: the input of decoder layer 0.</summary>
    internal Tensor Embed(Tensor inputIds) => _embed.call(inputIds);

    /// <summary>Decoder layer <paramref name="index"/> alone on its input <c>[B, T, hidden]</c>: <see cref="Decode"/> is these in turn.</summary>
    internal Tensor Layer(int index, Tensor x, Tensor cos, Tensor sin) => _layers[index].call(x, cos, sin);

    /// <summary>The final norm, applied to hidden states <c>[..., hidden]</c> of any positions.</summary>
    internal Tensor Norm(Tensor hidden) => _norm.call(hidden);

    /// <summary>
    /// Hidden states <c>[B, T, hidden]</c> for new token ids <c>[B, T]</c> at absolute positions
    /// <c>cache.Length</c>..<c>cache.Length+T-1</c>, appending their keys/values to <paramref name="cache"/>.
    /// </summary>
    internal Tensor ForwardCached(Tensor inputIds, KvCache cache)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var (position, t) = (cache.Length, inputIds.shape[1]);
        if (position + t > cache.Capacity)
            throw new InvalidOperationException($"KV cache overflow: {position} cached + {t} new positions exceed the capacity of {cache.Capacity}");
        // The rows of the full table at these positions: the same values the full forward uses there.
        var (cos, sin) = RotaryEmbedding.Tables(position + t, _config.HeadDim, _config.RopeTheta, inputIds.device);
        (cos, sin) = (cos.narrow(0, position, t), sin.narrow(0, position, t));
        var x = _embed.call(inputIds);
        for (var i = 0; i < _layers.Count; i++)
            x = _layers[i].ForwardCached(x, cos, sin, cache.Layer(i), position);
        cache.Advance(t);
        return _norm.call(x);
    }
}
