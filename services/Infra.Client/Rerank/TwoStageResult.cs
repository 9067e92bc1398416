using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Rerank;

/// <summary>What <see cref="TwoStageScorer.RankAsync"/> found.</summary>
/// <param name="Queries">Per query, in the ScoringService's order.</param>
/// <param name="Fidelity">Of every score in the lists: exact after a rerank, else the store's own.</param>
/// <param name="Candidates">Stage 1 candidates per query and direction rescored exactly; 0 without a rerank.</param>
/// <param name="RescoredExamples">Distinct examples recomputed (the union of every query's candidates).</param>
/// <param name="Tokens">Exact token scores by example id (columns: <see cref="Queries"/>), when asked for; else empty.</param>
/// <param name="Stage1">Time of the stage 1 scoring call.</param>
/// <param name="Stage2">Time of the exact recomputation (zero without a rerank).</param>
public sealed record TwoStageResult(
    IReadOnlyList<RankedQuery> Queries,
    ScoreFidelity Fidelity,
    int Candidates,
    int RescoredExamples,
    IReadOnlyDictionary<string, ScoreTokensResponse> Tokens,
    TimeSpan Stage1,
    TimeSpan Stage2);
