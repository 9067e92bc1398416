namespace Infra.Aggregation.Reweighting;

/// <summary>An example with its new sampling weight (1 = unchanged).</summary>
public sealed record WeightedExample(WeightingExample Example, double Weight);
