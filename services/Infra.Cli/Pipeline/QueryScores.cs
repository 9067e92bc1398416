using Infra.Contracts.Gradients.V1;

namespace Infra.Cli.Pipeline;

/// <summary>
/// One training example's score for one query: raw influence, exact when <paramref name="Fidelity"/> is EXACT (recomputed in
/// the full space) with the stage 1 score beside it; normalized is NaN without a preconditioner or for exact scores.
/// </summary>
internal sealed record ScoredRow(string ExampleId, string Domain, int Difficulty, double Score, double Normalized, double ApproximateScore, ScoreFidelity Fidelity);

/// <summary>A query's results: the most helpful and most harmful examples.</summary>
internal sealed record QueryScore(string QueryId, string Domain, float Measurement, ulong Scored, IReadOnlyList<ScoredRow> Top, IReadOnlyList<ScoredRow> Bottom);

/// <summary>
/// Every (example, query) stage 1 score (APPROXIMATE: the compact store), rows sorted by example id so files do not depend on
/// the store's shard order.
/// </summary>
internal sealed record ScoreMatrix(IReadOnlyList<string> QueryIds, IReadOnlyList<string> ExampleIds, double[] Raw, double[]? Normalized,
    ScoreFidelity Fidelity = ScoreFidelity.Approximate);

/// <summary>
/// What <c>infra query</c> produced: exact top/bottom lists after a stage 2 rerank of <paramref name="Candidates"/> per query and
/// direction (0 = no rerank: approximate lists), and the stage 1 matrix.
/// </summary>
internal sealed record QueryScores(string QuerySet, string? Factors, string? Preconditioner, IReadOnlyList<QueryScore> Queries, ScoreMatrix All,
    ScoreFidelity Fidelity, int Candidates);
