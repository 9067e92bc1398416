namespace Infra.Core.Preconditioning;

/// <summary>The Hessian approximation used to precondition query gradients, in the projected space.</summary>
public enum PreconditionerKind
{
    /// <summary>None: plain gradient dot products (TracIn-style).</summary>
    Identity,
    /// <summary><c>Λ_ij = E_n[Ĝ_ij²]</c>: the diagonal of the (empirical) Fisher.</summary>
    Diagonal,
    /// <summary><c>A ⊗ S</c> with eigenvalues <c>Λ_ij = σ_i α_j</c> (needs per-token factors).</summary>
    Kfac,
    /// <summary>K-FAC eigenbases with the eigenvalue correction <c>Λ_ij = E_n[(U_Sᵀ Ĝ U_A)_ij²]</c> (needs per-token factors). The paper's choice.</summary>
    Ekfac,
}
