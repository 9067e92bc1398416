namespace Infra.Aggregation.Reweighting;

/// <summary>
/// One (training domain, difficulty) cell after reweighting: n examples, its share of the budget
/// before (Σ t_i / Σ t) and after (Σ w_i t_i / Σ w t), its mean weight, and the mean influence of its
/// scored examples (NaN when none was scored). Under another grouping than domain x difficulty, <see cref="Domain"/> and
/// <see cref="Difficulty"/> are those of the cell's first example and <see cref="Group"/>/<see cref="Subgroup"/> name it.
/// </summary>
public sealed record ReweightingCellSummary(string Domain, int Difficulty, int N, double OldShare, double NewShare, double MeanWeight, double MeanInfluence)
{
    /// <summary>The cell's first grouping value. Defaults to <see cref="Domain"/>.</summary>
    public string Group { get; init; } = Domain;

    /// <summary>Its second grouping value ("" with one column). Defaults to <see cref="Difficulty"/>'s level name.</summary>
    public string Subgroup { get; init; } = Infra.Core.Metadata.DifficultyScheme.LevelName(Difficulty);
}
