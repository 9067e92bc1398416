namespace Infra.Aggregation.Rollups;

/// <summary>
/// One chunk of raw influence scores, as the ScoringService's ScoreChunk carries them:
/// <see cref="Raw"/> is row-major, examples x queries (Raw[e * QueryIds.Count + q] is the influence
/// of example e on query q); NaN marks a score that was not computed (a row filtered out by domain
/// or difficulty) and is skipped.
/// </summary>
public sealed record ScoreBlock(IReadOnlyList<string> ExampleIds, IReadOnlyList<string> QueryIds, ReadOnlyMemory<double> Raw);
