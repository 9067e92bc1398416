using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>HF "rotate_half" rotary position embedding.</summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin tables, <c>[T, head_dim]</c>, for positions 0..T-1 (fp32).</summary>
    /// <remarks>
    /// Computed on the host in float64 (<c>angle = position x 1 / theta^(2i / head_dim)</c>), then copied: no TorchSharp
    /// Scalar is involved, since 0.107 leaves implicitly converted Scalars to a finalizer that can free one while
    /// libtorch reads it (seen as "Unknown scalar type" in long runs).
    /// </remarks>
    public static (Tensor Cos, Tensor Sin) Tables(long length, int headDim, double theta, Device device)
    {
        var half = headDim / 2;
        var cos = new float[length * headDim];
        var sin = new float[length * headDim];
        for (long p = 0; p < length; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = p * (1.0 / Math.Pow(theta, 2.0 * i / headDim));
                var (c, s) = ((float)Math.Cos(angle), (float)Math.Sin(angle));
                cos[p * headDim + i] = cos[p * headDim + half + i] = c;
                sin[p * headDim + i] = sin[p * headDim + half + i] = s;
            }
        }
        return (tensor(cos, [length, headDim]).to(device), tensor(sin, [length, headDim]).to(device));
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
