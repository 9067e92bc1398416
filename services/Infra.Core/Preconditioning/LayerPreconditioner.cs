using Infra.Core.Linalg;
using Infra.Core.Errors;

namespace Infra.Core.Preconditioning;

/// <summary>
/// One layer's fitted preconditioner (float64): eigenbases <c>U_A [k_in x k_in]</c>, <c>U_S [k_out x k_out]</c>
/// (absent for identity and diagonal), eigenvalues, and <c>Λ [k_out x k_in]</c> (absent for identity),
/// with the damping <c>λ</c> in effect. <c>Q̃ = U_S [(U_Sᵀ Q U_A) / (Λ + λ)] U_Aᵀ</c>.
/// </summary>
public sealed record LayerPreconditioner(
    PreconditionerKind Kind,
    int KIn,
    int KOut,
    double[]? ActivationEigenvectors,
    double[]? ActivationEigenvalues,
    double[]? GradientEigenvectors,
    double[]? GradientEigenvalues,
    double[]? Lambda,
    double Damping)
{
    /// <summary>The preconditioned query <c>Q̃</c> of a projected query gradient <c>Q̂</c> (<c>k_out x k_in</c>).</summary>
    public float[] Precondition(ReadOnlySpan<float> query)
    {
        if (query.Length != KIn * KOut) throw DomainException.InvalidArgument($"query has {query.Length} values, the layer {KOut} x {KIn}");
        if (Kind == PreconditionerKind.Identity) return query.ToArray();
        var q = ToDouble(query);
        if (Kind == PreconditionerKind.Diagonal)
            return q.Select((v, i) => (float)(v / (Lambda![i] + Damping))).ToArray();
        var rotated = Dense.Rotate(GradientEigenvectors!, q, ActivationEigenvectors!, KOut, KIn);
        for (var i = 0; i < rotated.Length; i++) rotated[i] /= Lambda![i] + Damping;
        return Dense.RotateBack(GradientEigenvectors!, rotated, ActivationEigenvectors!, KOut, KIn).Select(v => (float)v).ToArray();
    }

    /// <summary><c>&lt;Ĝ, H⁻¹ Ĝ&gt;</c>: the squared norm of an example gradient in the preconditioned metric.</summary>
    public double SelfInfluence(ReadOnlySpan<float> gradient)
    {
        var g = ToDouble(gradient);
        switch (Kind)
        {
            case PreconditionerKind.Identity:
                return g.Sum(v => v * v);
            case PreconditionerKind.Diagonal:
                return g.Select((v, i) => v * v / (Lambda![i] + Damping)).Sum();
            default:
                var rotated = Dense.Rotate(GradientEigenvectors!, g, ActivationEigenvectors!, KOut, KIn);
                return rotated.Select((v, i) => v * v / (Lambda![i] + Damping)).Sum();
        }
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (var i = 0; i < values.Length; i++) d[i] = values[i];
        return d;
    }
}
