namespace Infra.Cli.Experiment;

/// <summary>
/// The budget of one condition (identical for every seed up to the shuffle): optimizer steps, response tokens trained,
/// and those tokens weighted by the example weights, over the whole run.
/// </summary>
internal sealed record BudgetRow(string Condition, int Steps, long LossTokens, double WeightedLossTokens);
