namespace Infra.Aggregation.Rollups;

/// <summary>
/// One cell of a roll-up: training examples of <see cref="TrainingDomain"/> and
/// <see cref="Difficulty"/> (null: all difficulties) as seen by the queries of
/// <see cref="QueryDomain"/> (<see cref="InfluenceRollup.AllQueries"/>: every query). The
/// statistics are over per-example values, each example's mean influence over those queries.
/// </summary>
public sealed record RollupCell(string QueryDomain, string TrainingDomain, int? Difficulty, SummaryStatistics Statistics);
