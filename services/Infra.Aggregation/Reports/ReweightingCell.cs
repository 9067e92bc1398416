namespace Infra.Aggregation.Reports;

/// <summary>One training cell's share of the mix before and after reweighting.</summary>
/// <param name="TrainingDomain">The training examples' domain.</param>
/// <param name="Difficulty">Their difficulty.</param>
/// <param name="OldShare">Share of the training mix before, in [0, 1].</param>
/// <param name="NewShare">Share after, in [0, 1].</param>
/// <param name="MeanWeight">Mean weight given to the cell's examples.</param>
public sealed record ReweightingCell(string TrainingDomain, int Difficulty, double OldShare, double NewShare, double MeanWeight);
