namespace Infra.Core.Scoring;

/// <summary>A registered query set without its gradients: its queries in registration order and its recipe (null when none was registered).</summary>
public sealed record QuerySetSummary(string Name, IReadOnlyList<QuerySummary> Queries, QueryRecipe? Recipe)
{
    /// <summary>Whether every query arrived full-space EK-FAC preconditioned.</summary>
    public bool Preconditioned => Queries.Count > 0 && Queries.All(q => q.Preconditioned);
}
