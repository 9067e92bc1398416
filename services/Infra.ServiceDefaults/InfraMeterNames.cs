namespace Infra.ServiceDefaults;

/// <summary>The domain meters every host's telemetry listens to (each service creates its own through IMeterFactory).</summary>
public static class InfraMeterNames
{
    /// <summary>"Infra.Gradients": examples and tokens through the GradientService's gradient path.</summary>
    public const string Gradients = "Infra.Gradients";

    /// <summary>"Infra.Scoring": the ScoringService's store size and scored examples.</summary>
    public const string Scoring = "Infra.Scoring";

    /// <summary>"Infra.Aggregation": the AggregationService's read-outs.</summary>
    public const string Aggregation = "Infra.Aggregation";

    /// <summary>All of them.</summary>
    public static IReadOnlyList<string> All { get; } = [Gradients, Scoring, Aggregation];
}
