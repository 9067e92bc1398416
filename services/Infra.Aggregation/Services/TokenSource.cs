using Infra.Aggregation.Clients;
using Infra.Client.Rerank;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Services;

/// <summary>
/// Where a read-out's token scores come from: recomputed exactly by the GradientService (the default: no store needs
/// token factors, and every token score is the paper's quantity), or the compact store's stored token factors
/// (RERANK_MODE_NONE; approximate, and only for a store indexed with token factors).
/// </summary>
internal sealed class TokenSource(ScoringPuller scoring, GradientCaller gradients)
{
    /// <summary>Two-stage scoring over this service's ScoringService and GradientService.</summary>
    public TwoStageScorer TwoStage => new(scoring.Client, gradients.Rescorer, scoring.Address);

    /// <summary>
    /// Token scores of <paramref name="exampleIds"/> (empty = every stored example), one example at a time. With
    /// <paramref name="meanByDomain"/> an exact pass returns one column per query domain (the mean over its queries), which
    /// is all a per-domain roll-up needs; the store's pass always returns one column per query.
    /// </summary>
    public Task ForEachAsync(QuerySelection selection, IReadOnlyList<string> exampleIds, Func<ScoreTokensResponse, Task> onExample, CancellationToken token,
        bool meanByDomain = false)
    {
        if (Selections.Exact(selection))
            return TwoStage.ExactTokensAsync(selection.QuerySet, selection.QueryIds, exampleIds, onExample, meanByDomain: meanByDomain, token: token);
        var request = new ScoreTokensRequest { QuerySet = selection.QuerySet, Preconditioner = selection.Preconditioner };
        request.ExampleIds.AddRange(exampleIds);
        request.QueryIds.AddRange(selection.QueryIds);
        return scoring.ScoreTokensAsync(request, onExample, token);
    }

    /// <summary>A ranking request for <paramref name="selection"/>'s queries.</summary>
    public static TwoStageRequest Ranking(QuerySelection selection, int k, bool tokens) => new()
    {
        QuerySet = selection.QuerySet, QueryIds = selection.QueryIds.ToList(), Preconditioner = selection.Preconditioner, Normalized = selection.Normalized,
        K = k, Candidates = Selections.Candidates(selection), Exact = Selections.Exact(selection), IncludeTokenScores = tokens,
    };
}
