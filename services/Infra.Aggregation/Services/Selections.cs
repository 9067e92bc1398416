using Infra.Contracts.Aggregation.V1;
using Infra.Core.Errors;

namespace Infra.Aggregation.Services;

/// <summary>Checks on a request's <see cref="QuerySelection"/> before anything is pulled, and what it asks for.</summary>
internal static class Selections
{
    /// <exception cref="ArgumentException">
    /// No selection or query set, normalised scores without a preconditioner, or an explicit exact rerank of normalised scores.
    /// </exception>
    public static void Validate(QuerySelection? selection)
    {
        if (selection is null || string.IsNullOrWhiteSpace(selection.QuerySet))
            throw DomainException.InvalidArgument("queries.query_set is required: name a query set registered with the ScoringService", "queries.query_set");
        if (selection.Normalized && string.IsNullOrEmpty(selection.Preconditioner))
            throw DomainException.InvalidArgument("queries.normalized needs queries.preconditioner (normalised scores are cosines in its metric)", "queries.normalized");
        Exact(selection);
        if (selection.HasCandidates && selection.Candidates == 0)
            throw DomainException.InvalidArgument("queries.candidates must be at least 1 (unset = 30 % of the store)", "queries.candidates");
    }

    /// <summary>
    /// Whether read-outs are reranked exactly: the default (RERANK_MODE_UNSPECIFIED) and EXACT yes, NONE no. Normalised
    /// scores have no exact counterpart, so a normalised selection is stage 1 only unless EXACT was asked for explicitly.
    /// </summary>
    /// <param name="mode">The request's rerank mode.</param>
    /// <param name="normalized">Whether normalised scores were asked for.</param>
    /// <param name="field">The proto field <paramref name="mode"/> came from, named when it is refused.</param>
    /// <exception cref="ArgumentException">A mode this service does not know, or EXACT asked for with normalised scores.</exception>
    public static bool Exact(RerankMode mode, bool normalized, string field)
    {
        if (mode is not (RerankMode.Unspecified or RerankMode.Exact or RerankMode.None))
            throw DomainException.InvalidArgument($"{field} {(int)mode} is not a rerank mode: UNSPECIFIED (= EXACT), EXACT or NONE", field);
        if (mode == RerankMode.Exact && normalized)
            throw DomainException.InvalidArgument("normalised scores have no exact counterpart: ask for raw scores, or for rerank NONE (approximate)");
        return mode != RerankMode.None && !normalized;
    }

    /// <summary>Whether <paramref name="selection"/>'s read-outs are reranked exactly.</summary>
    public static bool Exact(QuerySelection selection) => Exact(selection.Rerank, selection.Normalized, "queries.rerank");

    /// <summary>Stage 1 candidates asked for, or null for the default rule.</summary>
    public static int? Candidates(QuerySelection selection) => selection.HasCandidates ? Counts.Of(selection.Candidates, 0) : null;
}
