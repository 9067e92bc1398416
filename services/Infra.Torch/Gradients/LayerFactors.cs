namespace Infra.Torch.Gradients;

/// <summary>
/// One tracked layer's compressed factors for one example, fp32, row-major: <c>â</c> is
/// <c>T x k_in</c>, <c>ĝ</c> is <c>T x k_out</c>, and the example gradient <c>Ĝ = sum_t ĝ_t â_t^T</c>
/// is <c>k_out x k_in</c>. A part not requested is null.
/// </summary>
public sealed record LayerFactors(int LayerIndex, int KIn, int KOut, float[]? Inputs, float[]? OutputGradients, float[]? ExampleGradient);
