using Infra.Core.Store;

namespace Infra.Core.Scoring;

/// <summary>Every score of one shard, for full dumps: <c>Raw[row * M + m]</c>; rows the filter rejected are NaN.</summary>
public sealed record ShardScores(ShardReader Shard, int Queries, double[] Raw, double[]? Normalized);
