using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>HF "rotate_half" rotary position embedding.</summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin tables, <c>[T, head_dim]</c>, for positions 0..T-1 (fp32).</summary>
    public static (Tensor Cos, Tensor Sin) Tables(long length, int headDim, double theta, Device device)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Float64, device: device) / headDim;
        var invFreq = pow(theta, exponents).reciprocal();
        var positions = arange(length, dtype: ScalarType.Float64, device: device);
        var freqs = outer(positions, invFreq);
        var emb = cat([freqs, freqs], -1);
        return (emb.cos().to_type(ScalarType.Float32).MoveToOuterDisposeScope(),
                emb.sin().to_type(ScalarType.Float32).MoveToOuterDisposeScope());
    }

    /// <summary>Applies the rotation to <c>x [B, heads, T, head_dim]</c>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([-x2, x1], -1);
        var c = cos.to_type(x.dtype);
        var s = sin.to_type(x.dtype);
        return (x * c + rotated * s).MoveToOuterDisposeScope();
    }
}
