namespace Infra.Validation.Fidelity;

/// <summary>A way to rank every training example from a compact per-example store (stage 1 of two-stage scoring).</summary>
public enum StageOnePath
{
    /// <summary><c>ekfac-store</c>: EK-FAC fitted on the projected store's token factors, applied to the projected query.</summary>
    EkfacStore,
    /// <summary><c>ekfac-fullspace-projected</c>: full-space EK-FAC applied to the query, then projected (the old default).</summary>
    EkfacFullSpaceProjected,
    /// <summary><c>identity</c>: no preconditioning, plain projected gradient dot products.</summary>
    Identity,
    /// <summary>
    /// <c>eigen-truncated</c>: no random projection; both sides kept on the top-k eigenvectors of the full-space EK-FAC
    /// factors (k of A's, k of S's), the query preconditioned in the full space first.
    /// </summary>
    EigenTruncated,
}
