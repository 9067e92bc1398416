namespace Infra.Cli.Pipeline;

/// <summary>One training example's score for one query (raw &lt;Q~, G^&gt;; normalized is NaN without a preconditioner).</summary>
internal sealed record ScoredRow(string ExampleId, string Domain, int Difficulty, double Score, double Normalized);

/// <summary>A query's results: the most helpful and most harmful examples.</summary>
internal sealed record QueryScore(string QueryId, string Domain, float Measurement, ulong Scored, IReadOnlyList<ScoredRow> Top, IReadOnlyList<ScoredRow> Bottom);

/// <summary>Every (example, query) score, rows sorted by example id so files do not depend on the store's shard order.</summary>
internal sealed record ScoreMatrix(IReadOnlyList<string> QueryIds, IReadOnlyList<string> ExampleIds, double[] Raw, double[]? Normalized);

/// <summary>What <c>infra query</c> produced.</summary>
internal sealed record QueryScores(string QuerySet, string? Factors, string? Preconditioner, IReadOnlyList<QueryScore> Queries, ScoreMatrix All);
