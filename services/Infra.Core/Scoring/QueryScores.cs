namespace Infra.Core.Scoring;

/// <summary>A query's most helpful (<see cref="Top"/>, descending) and most harmful (<see cref="Bottom"/>, ascending) examples, ranked by the requested score.</summary>
public sealed record QueryScores(string QueryId, int Scored, IReadOnlyList<ScoredExample> Top, IReadOnlyList<ScoredExample> Bottom);
