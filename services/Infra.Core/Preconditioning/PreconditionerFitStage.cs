namespace Infra.Core.Preconditioning;

/// <summary>Where a projected fit stands when it reports progress.</summary>
public enum PreconditionerFitStage
{
    /// <summary>One layer's token covariances were accumulated and eigendecomposed (K-FAC and EK-FAC; one report per layer, in order).</summary>
    Covariances,

    /// <summary>Λ, damping and every example's self-influence are computed: the preconditioner is fitted (the last report).</summary>
    Fitted,
}
