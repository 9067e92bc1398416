namespace Infra.Client.Calls;

/// <summary>The three services of the pipeline.</summary>
public enum ServiceKind
{
    /// <summary>The GradientService: the model, per-example and query gradients, full-space EK-FAC.</summary>
    Gradients,

    /// <summary>The ScoringService: the compact store, projected preconditioners, stage 1 scores.</summary>
    Scoring,

    /// <summary>The AggregationService: roll-ups, reports, reweighting, Influence.</summary>
    Aggregation,
}
