using TorchSharp;
using TorchSharp.Modules;
using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>
/// A Qwen2 / Llama causal LM with HF's exact parameter names (<c>model.layers.0.mlp.up_proj.weight</c>, ...),
/// so checkpoints load by name. Tracked linear layers are recorded through <see cref="Capture"/>.
/// </summary>
public sealed class Qwen2ForCausalLM : nn.Module<Tensor, Tensor>
{
    private readonly Qwen2Model _model;
    private readonly Linear? _lmHead;

    /// <summary>Builds the architecture with default-initialised weights on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public Qwen2ForCausalLM(HfModelConfig config, Device device, ScalarType dtype) : base(nameof(Qwen2ForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Device = device;
        DType = dtype;
        _model = new Qwen2Model(config, Capture, device, dtype);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, false, device, dtype);
            register_module("lm_head", _lmHead);
        }
    }

    /// <summary>The architecture.</summary>
    public HfModelConfig Config { get; }

    /// <summary>Where the parameters live.</summary>
    public Device Device { get; }

    /// <summary>The compute dtype of the parameters.</summary>
    public ScalarType DType { get; }

    /// <summary>Set a <see cref="LinearCapture"/> here to record tracked layers during a forward pass.</summary>
    public CaptureSlot Capture { get; } = new();

    /// <summary>Logits <c>[B, T, vocab]</c> (compute dtype) for token ids <c>[B, T]</c>.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        var hidden = _model.call(inputIds);
        return Head(hidden);
    }

    /// <summary>
    /// Incremental forward for decoding: logits <c>[B, T, vocab]</c> for new token ids <c>[B, T]</c> placed after the
    /// <c>cache.Length</c> positions already in <paramref name="cache"/>, whose keys/values are appended to it.
    /// Feeding a sequence in pieces gives the logits of <see cref="forward"/> on the whole sequence (to rounding).
    /// Inference only: no autograd graph is recorded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The new tokens would overflow the cache's capacity.</exception>
    public Tensor ForwardCached(Tensor inputIds, KvCache cache)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(cache);
        using var noGrad = no_grad();
        return Head(_model.ForwardCached(inputIds, cache));
    }

    /// <summary>
    /// The decoder stack's output <c>[B, T, hidden]</c> for token ids <c>[B, T]</c>, before the final norm, with tracked
    /// layers recorded as in <see cref="forward"/>. With <see cref="FinalNorm"/> and <see cref="HeadWeight"/> it lets a
    /// loss form logits only at the positions it needs: at a 151,936-token vocabulary the head is most of a forward pass.
    /// </summary>
    public Tensor DecoderOutput(Tensor inputIds) => _model.Decode(inputIds);

    /// <summary>The decoder stack itself, for computations that walk it layer by layer.</summary>
    internal Qwen2Model Decoder => _model;

    /// <summary>The final norm on hidden states <c>[..., hidden]</c> (per position, so it may be applied to a gathered subset).</summary>
    public Tensor FinalNorm(Tensor hidden) => _model.Norm(hidden);

    /// <summary>The head's weight <c>[vocab, hidden]</c> (the embedding matrix when embeddings are tied): logits are <c>h Wᵀ</c>, no bias.</summary>
    public Tensor HeadWeight => _lmHead is not null
        ? _lmHead.weight ?? throw new InvalidOperationException("lm_head has no weight")
        : _model.EmbeddingWeight;

    private Tensor Head(Tensor hidden) => _lmHead is not null
        ? _lmHead.call(hidden)
        : nn.functional.linear(hidden, _model.EmbeddingWeight);

    /// <summary>The names of every linear layer that can be tracked, e.g. "model.layers.0.mlp.gate_proj", in model order.</summary>
    public IEnumerable<(string Name, int DIn, int DOut)> LinearLayers()
    {
        for (var i = 0; i < Config.NumHiddenLayers; i++)
        {
            var attn = $"model.layers.{i}.self_attn";
            var qDim = Config.NumAttentionHeads * Config.HeadDim;
            var kvDim = Config.NumKeyValueHeads * Config.HeadDim;
            yield return ($"{attn}.q_proj", Config.HiddenSize, qDim);
            yield return ($"{attn}.k_proj", Config.HiddenSize, kvDim);
            yield return ($"{attn}.v_proj", Config.HiddenSize, kvDim);
            yield return ($"{attn}.o_proj", qDim, Config.HiddenSize);
            var mlp = $"model.layers.{i}.mlp";
            yield return ($"{mlp}.gate_proj", Config.HiddenSize, Config.IntermediateSize);
            yield return ($"{mlp}.up_proj", Config.HiddenSize, Config.IntermediateSize);
            yield return ($"{mlp}.down_proj", Config.IntermediateSize, Config.HiddenSize);
        }
    }

    /// <summary>
    /// Copies every parameter from <paramref name="read"/> (HF name -> row-major fp32 data and shape).
    /// </summary>
    /// <exception cref="CheckpointException">A tensor is missing or has the wrong shape (both shapes named).</exception>
    public void LoadParameters(Func<string, (float[] Data, long[] Shape)?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            var source = read(name) ?? throw new CheckpointException($"missing tensor '{name}'");
            if (!source.Shape.SequenceEqual(parameter.shape))
                throw new CheckpointException(
                    $"tensor '{name}': expected shape [{string.Join(", ", parameter.shape)}], found [{string.Join(", ", source.Shape)}]");
            using var scope = NewDisposeScope();
            parameter.copy_(tensor(source.Data, source.Shape).to(parameter.dtype).to(parameter.device));
        }
    }

    /// <summary>Every parameter as (HF name, shape, fp32 data), for writing checkpoints.</summary>
    public IEnumerable<(string Name, long[] Shape, float[] Data)> ExportParameters()
    {
        foreach (var (name, parameter) in named_parameters())
        {
            using var scope = NewDisposeScope();
            var data = Gradients.HostCopy.ToFloatArray(parameter.detach());
            yield return (name, parameter.shape, data);
        }
    }
}
