using TorchSharp;
using static TorchSharp.torch;
using Infra.Core.Errors;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Full-space EK-FAC factors of one tracked layer (float64, on the CPU):
/// <c>A = U_A diag(α) U_A^T</c> (<c>d_in x d_in</c>), <c>S = U_S diag(σ) U_S^T</c> (<c>d_out x d_out</c>),
/// and the eigenvalue correction <c>Λ</c> (<c>d_out x d_in</c>), null until that pass has run.
/// </summary>
public sealed record EkfacLayerFactors(
    string LayerName,
    Tensor ActivationEigenvectors,
    Tensor ActivationEigenvalues,
    Tensor GradientEigenvectors,
    Tensor GradientEigenvalues,
    Tensor? Lambda) : IDisposable
{
    /// <summary>
    /// <c>Q̃ = U_S [ (U_S^T Q U_A) / (Λ + λ) ] U_A^T</c> for a full-space gradient <c>Q [d_out, d_in]</c>.
    /// <paramref name="damping"/> &lt;= 0 means <c>0.1 x mean(Λ)</c> (kronfluence's heuristic when <c>damping_factor=None</c>; its default is 1e-8).
    /// </summary>
    /// <exception cref="InvalidOperationException">The eigenvalue correction has not been fitted.</exception>
    public Tensor Precondition(Tensor q, double damping)
    {
        ArgumentNullException.ThrowIfNull(q);
        var lambda = Lambda ?? throw DomainException.FailedPrecondition(
            $"layer '{LayerName}': EK-FAC eigenvalue correction has not been fitted (run the EIGENVALUE_CORRECTION phase)");
        using var scope = NewDisposeScope();
        var q64 = q.to(ScalarType.Float64).cpu();
        var rotated = GradientEigenvectors.t().matmul(q64).matmul(ActivationEigenvectors);
        var lambdaDamping = EffectiveDamping(damping);
        using var dampingScalar = lambdaDamping.ToScalar(); // explicit, alive through the call (see RmsNorm)
        var scaled = rotated / lambda.add(dampingScalar);
        var result = GradientEigenvectors.matmul(scaled).matmul(ActivationEigenvectors.t());
        return result.to(q.dtype).to(q.device).MoveToOuterDisposeScope();
    }

    /// <summary>The damping used: <paramref name="damping"/> when positive, else <c>0.1 x mean(Λ)</c>.</summary>
    /// <exception cref="ArgumentException">A NaN or infinite damping (NaN would silently fall back to the default, +∞ would zero the query).</exception>
    public double EffectiveDamping(double damping)
    {
        if (!double.IsFinite(damping)) throw DomainException.InvalidArgument($"damping must be finite (<= 0 means 0.1 x mean eigenvalue); it is {damping}");
        return damping > 0 ? damping : 0.1 * (Lambda ?? throw DomainException.FailedPrecondition("no eigenvalue correction")).mean().item<double>();
    }

    public void Dispose()
    {
        ActivationEigenvectors.Dispose();
        ActivationEigenvalues.Dispose();
        GradientEigenvectors.Dispose();
        GradientEigenvalues.Dispose();
        Lambda?.Dispose();
    }
}
