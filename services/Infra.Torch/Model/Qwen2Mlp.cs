using TorchSharp.Modules;
using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>SwiGLU MLP: <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>. The layers Infra tracks by default.</summary>
public sealed class Qwen2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear _gate, _up, _down;
    private readonly string _prefix;
    private readonly CaptureSlot _slot;

    public Qwen2Mlp(HfModelConfig config, int layer, CaptureSlot slot, Device device, ScalarType dtype)
        : base(nameof(Qwen2Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        _prefix = $"model.layers.{layer}.mlp";
        _slot = slot;
        _gate = nn.Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        _up = nn.Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype);
        _down = nn.Linear(config.IntermediateSize, config.HiddenSize, false, device, dtype);
        register_module("gate_proj", _gate);
        register_module("up_proj", _up);
        register_module("down_proj", _down);
    }

    public override Tensor forward(Tensor input)
    {
        var gate = _slot.Call(_gate, _prefix + ".gate_proj", input);
        var up = _slot.Call(_up, _prefix + ".up_proj", input);
        var hidden = nn.functional.silu(gate) * up;
        return _slot.Call(_down, _prefix + ".down_proj", hidden);
    }
}
