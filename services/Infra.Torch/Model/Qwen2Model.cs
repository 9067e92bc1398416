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
    public override Tensor forward(Tensor inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var (cos, sin) = RotaryEmbedding.Tables(inputIds.shape[1], _config.HeadDim, _config.RopeTheta, inputIds.device);
        var x = _embed.call(inputIds);
        foreach (var layer in _layers)
            x = layer.call(x, cos, sin);
        return _norm.call(x);
    }
}
