using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>RMSNorm as in HF Qwen2: <c>w * x / sqrt(mean(x^2) + eps)</c>, computed in fp32.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly double _eps;

    public RmsNorm(long size, double eps, Device device, ScalarType dtype) : base(nameof(RmsNorm))
    {
        _eps = eps;
        _weight = new Parameter(ones(size, dtype: dtype, device: device));
        register_parameter("weight", _weight);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Explicit Scalars, alive until the end of the method: the ones TorchSharp 0.107 creates implicitly from a double are
        // left to the garbage collector, whose finalizer can free one while libtorch still reads it ("Unknown scalar type",
        // seen in long runs under allocation pressure).
        using var two = 2.ToScalar();
        using var eps = _eps.ToScalar();
        var x = input.to_type(ScalarType.Float32);
        var variance = x.pow(two).mean([-1L], keepdim: true);
        var normed = (x * rsqrt(variance.add(eps))).to_type(input.dtype);
        return (_weight * normed).MoveToOuterDisposeScope();
    }
}
