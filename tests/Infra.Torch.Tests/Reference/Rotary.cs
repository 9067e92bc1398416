namespace Infra.Torch.Tests.Reference;

/// <summary>
/// HF rotary position embedding (<c>Qwen2RotaryEmbedding</c> + <c>apply_rotary_pos_emb</c>), the
/// "rotate_half" layout: dimension <c>j</c> pairs with <c>j + head_dim/2</c>, not with <c>j + 1</c>.
/// </summary>
public static class Rotary
{
    /// <summary>
    /// Rotates one head vector <paramref name="x"/> (length <c>head_dim</c>) for position <paramref name="position"/>:
    /// <c>x * cos + rotate_half(x) * sin</c> with <c>inv_freq[j] = 1 / theta^(2j / head_dim)</c>
    /// and <c>cos, sin</c> of <c>cat(freqs, freqs)</c>.
    /// </summary>
    public static double[] Apply(ReadOnlySpan<double> x, int position, double theta)
    {
        var headDim = x.Length;
        if (headDim % 2 != 0)
            throw new ArgumentException($"head dim {headDim} must be even", nameof(x));
        var half = headDim / 2;

        // emb = cat(freqs, freqs): the angle of dimension j is also the angle of j + half.
        var cos = new double[headDim];
        var sin = new double[headDim];
        for (var j = 0; j < half; j++)
        {
            var invFreq = 1.0 / Math.Pow(theta, 2.0 * j / headDim);
            var angle = position * invFreq;
            cos[j] = cos[j + half] = Math.Cos(angle);
            sin[j] = sin[j + half] = Math.Sin(angle);
        }

        // rotate_half(x) = cat(-x[half:], x[:half])
        var rotated = new double[headDim];
        for (var j = 0; j < half; j++)
        {
            rotated[j] = -x[j + half];
            rotated[j + half] = x[j];
        }

        var y = new double[headDim];
        for (var d = 0; d < headDim; d++)
            y[d] = (x[d] * cos[d]) + (rotated[d] * sin[d]);
        return y;
    }
}
