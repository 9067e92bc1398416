namespace Infra.Core.Scoring;

/// <summary>A named set of queries registered with a store, kept for reuse.</summary>
public sealed record QuerySet(string Name, IReadOnlyList<Query> Queries);
