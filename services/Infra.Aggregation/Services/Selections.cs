using Infra.Contracts.Aggregation.V1;

namespace Infra.Aggregation.Services;

/// <summary>Checks on a request's <see cref="QuerySelection"/> before anything is pulled.</summary>
internal static class Selections
{
    /// <exception cref="ArgumentException">No selection or query set, or normalised scores without a preconditioner.</exception>
    public static void Validate(QuerySelection? selection)
    {
        if (selection is null || string.IsNullOrWhiteSpace(selection.QuerySet))
            throw new ArgumentException("queries.query_set is required: name a query set registered with the ScoringService");
        if (selection.Normalized && string.IsNullOrEmpty(selection.Preconditioner))
            throw new ArgumentException("queries.normalized needs queries.preconditioner (normalised scores are cosines in its metric)");
    }
}
