using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Per-query gradients of <c>−f</c> in the full <c>d_out x d_in</c> space of every tracked layer, preconditioned
/// by full-space EK-FAC when factors were given (<c>Q̃ = U_S [(U_Sᵀ Q U_A) / (Λ + λ)] U_Aᵀ</c>), never projected:
/// the queries of exact influence. Owns its tensors (outside any dispose scope).
/// </summary>
/// <param name="QueryIds">The queries' ids, in the order given.</param>
/// <param name="Measurements">f of each query (mean or summed log-likelihood of its answer).</param>
/// <param name="Damping">Per tracked layer, the damping λ as applied; null when not preconditioned.</param>
/// <param name="Layers">Per tracked layer, <c>[Q, d_out, d_in]</c>, float64, on the model's device.</param>
public sealed record FullSpaceQueryGradients(
    IReadOnlyList<string> QueryIds,
    IReadOnlyList<double> Measurements,
    IReadOnlyList<double>? Damping,
    IReadOnlyList<Tensor> Layers) : IDisposable
{
    /// <summary>True when full-space EK-FAC factors were applied.</summary>
    public bool Preconditioned => Damping is not null;

    public void Dispose()
    {
        foreach (var t in Layers) t.Dispose();
    }
}
