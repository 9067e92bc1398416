namespace Infra.Aggregation.Rollups;

/// <summary>A query of the query set: its id and its domain (the ScoringService's QueryInfo).</summary>
public sealed record QueryAttributes(string Id, string Domain);
