namespace Infra.Aggregation.Reweighting;

/// <summary>
/// A training example as the reweighting schemes see it: id, training domain, difficulty, its
/// influence (mean raw influence over the chosen queries; NaN when unscored) and its size in tokens
/// (1 when token counts are unknown, so budgets become example counts).
/// </summary>
public sealed record WeightingExample(string Id, string Domain, int Difficulty, double Influence, double Tokens = 1);
