using Infra.Core.Compression;
using Infra.Core.Store;

namespace Infra.Core.Scoring;

/// <summary>
/// Whether a score the ScoringService computes from its store is the paper's quantity (exact) or an
/// approximation of it (stage 1). Exact needs lossless train-side factors (an identity projection AND
/// float32 storage) and a query that is exact as well: either full-space EK-FAC preconditioned by the
/// GradientService (exact EK-FAC influence) or not preconditioned at all (exact identity influence).
/// A preconditioner fitted here on the store makes the score approximate, also on an identity store:
/// it is fitted in float32 over the store's examples with its own damping, which need not match the
/// full-space factors (so it is not claimed as exact). Full-space preconditioned queries never get a
/// store preconditioner on top (the service refuses that), so the query side adds no further case.
/// </summary>
public static class ScoreFidelityRule
{
    /// <param name="schema">The store's schema (projection and storage dtype).</param>
    /// <param name="storePreconditionerApplied">A preconditioner fitted on the store (the request's non-empty <c>preconditioner</c>) is applied.</param>
    /// <returns>True for exact, false for approximate.</returns>
    public static bool IsExact(StoreSchema schema, bool storePreconditionerApplied)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.ProjectionIdentity && schema.DType == FactorDType.Float32 && !storePreconditionerApplied;
    }
}
