using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// The exact per-token factors of one right-padded batch, on the model's device, fp32, detached:
/// for every tracked layer the inputs <c>A [B, T, d_in]</c> and output gradients <c>G [B, T, d_out]</c>
/// of the batch loss <c>sum_b scale_b * L_b</c>. Positions at or past an example's length are padding
/// (their <c>G</c> rows are exactly zero). Owns its tensors (outside any dispose scope).
/// </summary>
public sealed class BatchFactors : IDisposable
{
    internal BatchFactors(IReadOnlyList<TokenizedExample> examples, int[] lengths, bool[] truncated,
        Tensor tokenLosses, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputGradients)
    {
        Examples = examples;
        Lengths = lengths;
        Truncated = truncated;
        TokenLosses = tokenLosses;
        Inputs = inputs;
        OutputGradients = outputGradients;
    }

    /// <summary>The examples, after truncation, in batch order.</summary>
    public IReadOnlyList<TokenizedExample> Examples { get; }

    /// <summary>Tokens per example (after truncation).</summary>
    public int[] Lengths { get; }

    /// <summary>Whether each example was truncated.</summary>
    public bool[] Truncated { get; }

    /// <summary>Unscaled cross-entropy of predicting token t, <c>[B, T]</c>, zero where the loss mask is zero.</summary>
    public Tensor TokenLosses { get; }

    /// <summary>Per tracked layer: <c>a_t</c>, <c>[B, T, d_in]</c>.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>Per tracked layer: <c>g_t = dL/dy_t</c>, <c>[B, T, d_out]</c>.</summary>
    public IReadOnlyList<Tensor> OutputGradients { get; }

    /// <summary>
    /// Frees tracked layer <paramref name="layer"/>'s <c>A</c> and <c>G</c> before the rest, for a caller that consumes the
    /// layers one at a time; they must not be read afterwards. Disposing the batch later is still required and safe.
    /// </summary>
    public void ReleaseLayer(int layer)
    {
        Inputs[layer].Dispose();
        OutputGradients[layer].Dispose();
    }

    public void Dispose()
    {
        TokenLosses.Dispose();
        foreach (var tensor in Inputs.Concat(OutputGradients))
            tensor.Dispose();
    }
}
