namespace Infra.Torch.Gradients;

/// <summary>
/// The gradient service's result for one example: its tokens, per-token losses
/// (<c>TokenLosses[t]</c> = cross-entropy of predicting token t, 0 off the loss mask), the loss
/// <c>L = sum_t TokenLosses[t]</c>, and the factors of every tracked layer.
/// </summary>
public sealed record ExampleFactors(
    TokenizedExample Example,
    bool Truncated,
    float[] TokenLosses,
    float Loss,
    int LossTokens,
    IReadOnlyList<LayerFactors> Layers);
