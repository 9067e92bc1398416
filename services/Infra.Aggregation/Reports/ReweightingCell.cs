namespace Infra.Aggregation.Reports;

/// <summary>One training cell's share of the mix before and after reweighting.</summary>
/// <param name="TrainingDomain">The training examples' domain, or the group's value under another grouping.</param>
/// <param name="Difficulty">Their difficulty (0 = unlabelled, or not a difficulty grouping).</param>
/// <param name="OldShare">Share of the training mix before, in [0, 1].</param>
/// <param name="NewShare">Share after, in [0, 1].</param>
/// <param name="MeanWeight">Mean weight given to the cell's examples.</param>
public sealed record ReweightingCell(string TrainingDomain, int Difficulty, double OldShare, double NewShare, double MeanWeight)
{
    /// <summary>
    /// The cell's second grouping value as shown ("3", "unlabelled", "interview"); "" with a one-column grouping.
    /// Defaults to <see cref="Difficulty"/> as a level name (0 = "unlabelled").
    /// </summary>
    public string Subgroup { get; init; } = Infra.Core.Metadata.DifficultyScheme.LevelName(Difficulty);
}

