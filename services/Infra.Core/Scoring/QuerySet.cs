namespace Infra.Core.Scoring;

/// <summary>A named set of queries registered with a store, kept for reuse, and optionally how to recompute its scores exactly.</summary>
public sealed record QuerySet(string Name, IReadOnlyList<Query> Queries, QueryRecipe? Recipe = null);
