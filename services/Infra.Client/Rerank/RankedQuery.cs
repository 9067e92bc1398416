namespace Infra.Client.Rerank;

/// <summary>One query's ranking: the most helpful examples first in <see cref="Top"/>, the most harmful first in <see cref="Bottom"/>.</summary>
/// <param name="Scored">Examples stage 1 scored (those that passed the filter).</param>
public sealed record RankedQuery(string QueryId, string Domain, float Measurement, long Scored, IReadOnlyList<RankedExample> Top, IReadOnlyList<RankedExample> Bottom);
