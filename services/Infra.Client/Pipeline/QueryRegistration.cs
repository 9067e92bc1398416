using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Pipeline;

/// <summary>A query set to register with <see cref="InfluencePipeline.RegisterQueriesAsync"/>.</summary>
public sealed record QueryRegistration
{
    /// <summary>The query set's name in the store.</summary>
    public required string QuerySet { get; init; }

    /// <summary>The queries (prompt and the answer whose log-likelihood is measured); each one's domain labels its roll-ups.</summary>
    public required IReadOnlyList<Example> Queries { get; init; }

    /// <summary>The full-space EK-FAC factors of the recipe, by name ("" = none: stage 2 scores unpreconditioned). Defaults to "".</summary>
    public string FactorsName { get; init; } = "";

    /// <summary>
    /// Whether the registered (stage 1) gradient is preconditioned by <see cref="FactorsName"/> before projection. Defaults
    /// to false: a store preconditioner is applied at scoring instead, the better stage 1.
    /// </summary>
    public bool PreconditionStage1 { get; init; }

    /// <summary>EK-FAC damping of the recipe (and of stage 1 when preconditioned); 0 = 0.1 x the mean eigenvalue. Defaults to 0.</summary>
    public double Damping { get; init; }

    /// <summary>The projection of the registered gradient; null (the default) = the store's own.</summary>
    public ProjectionSpec? Projection { get; init; }

    /// <summary>
    /// The query set's header: its queries' ids and domains, and the recipe for exact recomputation (the queries
    /// themselves, the full-space factors, the damping).
    /// </summary>
    public QuerySetHeader Header()
    {
        var header = new QuerySetHeader { Name = QuerySet, Recipe = new QueryRecipe { FactorsName = FactorsName ?? "", Damping = Damping } };
        header.Queries.AddRange(Queries.Select(q => new QueryInfo { Id = q.Id, Domain = q.Domain }));
        header.Recipe.Queries.AddRange(Queries);
        return header;
    }
}
