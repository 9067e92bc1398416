using TorchSharp;
using static TorchSharp.torch;
using Infra.Core.Errors;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Full-space EK-FAC factors of one tracked layer (float64, on the CPU):
/// <c>A = U_A diag(α) U_A^T</c> (<c>d_in x d_in</c>), <c>S = U_S diag(σ) U_S^T</c> (<c>d_out x d_out</c>),
/// and the eigenvalue correction <c>Λ</c> (<c>d_out x d_in</c>), null until that pass has run.
/// </summary>
/// <remarks>
/// Ownership: an instance owns every tensor it holds, and nothing else may dispose them. The constructor takes the
/// tensors it is given, <see cref="SetLambda"/> takes the new Λ (disposing the one it replaces), and
/// <see cref="Dispose"/> frees each tensor once (a second call does nothing). There is no copy: a class, not a record,
/// so no <c>with</c> can make two owners of the same tensors. After <see cref="Dispose"/> every tensor property throws
/// <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class EkfacLayerFactors : IDisposable
{
    private readonly Tensor _activationEigenvectors;
    private readonly Tensor _activationEigenvalues;
    private readonly Tensor _gradientEigenvectors;
    private readonly Tensor _gradientEigenvalues;
    private Tensor? _lambda;

    /// <summary>Takes ownership of the tensors: the factors dispose them, the caller must not.</summary>
    public EkfacLayerFactors(string layerName, Tensor activationEigenvectors, Tensor activationEigenvalues,
        Tensor gradientEigenvectors, Tensor gradientEigenvalues, Tensor? lambda)
    {
        LayerName = layerName ?? throw new ArgumentNullException(nameof(layerName));
        _activationEigenvectors = activationEigenvectors ?? throw new ArgumentNullException(nameof(activationEigenvectors));
        _activationEigenvalues = activationEigenvalues ?? throw new ArgumentNullException(nameof(activationEigenvalues));
        _gradientEigenvectors = gradientEigenvectors ?? throw new ArgumentNullException(nameof(gradientEigenvectors));
        _gradientEigenvalues = gradientEigenvalues ?? throw new ArgumentNullException(nameof(gradientEigenvalues));
        _lambda = lambda;
    }

    /// <summary>The layer's HF module name, e.g. "model.layers.0.mlp.up_proj".</summary>
    public string LayerName { get; }

    /// <summary><c>U_A</c> (<c>d_in x d_in</c>).</summary>
    public Tensor ActivationEigenvectors => Alive(_activationEigenvectors);

    /// <summary><c>α</c> (<c>d_in</c>).</summary>
    public Tensor ActivationEigenvalues => Alive(_activationEigenvalues);

    /// <summary><c>U_S</c> (<c>d_out x d_out</c>).</summary>
    public Tensor GradientEigenvectors => Alive(_gradientEigenvectors);

    /// <summary><c>σ</c> (<c>d_out</c>).</summary>
    public Tensor GradientEigenvalues => Alive(_gradientEigenvalues);

    /// <summary><c>Λ</c> (<c>d_out x d_in</c>), or null before the eigenvalue-correction pass.</summary>
    public Tensor? Lambda
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _lambda;
        }
    }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Sets <c>Λ</c>, taking ownership of <paramref name="lambda"/>; a <c>Λ</c> set before is disposed now.</summary>
    public void SetLambda(Tensor lambda)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (ReferenceEquals(lambda, _lambda)) return;
        _lambda?.Dispose();
        _lambda = lambda;
    }

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

    /// <summary>Frees every tensor the factors own, once; later calls do nothing.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        _activationEigenvectors.Dispose();
        _activationEigenvalues.Dispose();
        _gradientEigenvectors.Dispose();
        _gradientEigenvalues.Dispose();
        _lambda?.Dispose();
        _lambda = null;
    }

    private Tensor Alive(Tensor t)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return t;
    }
}
