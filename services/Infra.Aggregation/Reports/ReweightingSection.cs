namespace Infra.Aggregation.Reports;

/// <summary>The report's section on how a reweighting changes the training mix.</summary>
/// <param name="Description">What the reweighting does, e.g. "difficulty flip: up-weight hard examples".</param>
/// <param name="Cells">One row per training domain and difficulty, in display order.</param>
public sealed record ReweightingSection(string Description, IReadOnlyList<ReweightingCell> Cells);
