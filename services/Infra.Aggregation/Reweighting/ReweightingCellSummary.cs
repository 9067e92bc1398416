namespace Infra.Aggregation.Reweighting;

/// <summary>
/// One (training domain, difficulty) cell after reweighting: n examples, its share of the budget
/// before (Σ t_i / Σ t) and after (Σ w_i t_i / Σ w t), its mean weight, and the mean influence of its
/// scored examples (NaN when none was scored).
/// </summary>
public sealed record ReweightingCellSummary(string Domain, int Difficulty, int N, double OldShare, double NewShare, double MeanWeight, double MeanInfluence);
