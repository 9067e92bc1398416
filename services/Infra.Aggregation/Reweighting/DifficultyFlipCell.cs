namespace Infra.Aggregation.Reweighting;

/// <summary>
/// One (training domain, difficulty) cell of a <see cref="DifficultyFlip"/>: its size, mean influence
/// m_c (NaN when no example of it was scored), standardized z_c, the clamped raw weight r_c and the
/// final weight w_c every example of the cell gets. <see cref="Domain"/> and <see cref="Difficulty"/> are the cell's
/// under the default grouping; under another they are those of the cell's first example, and
/// <see cref="Group"/>/<see cref="Subgroup"/> say which cell it is.
/// </summary>
public sealed record DifficultyFlipCell(string Domain, int Difficulty, int N, double MeanInfluence, double Z, double RawWeight, double Weight)
{
    /// <summary>The cell's first grouping value. Defaults to <see cref="Domain"/>.</summary>
    public string Group { get; init; } = Domain;

    /// <summary>Its second grouping value ("" with one column). Defaults to <see cref="Difficulty"/>'s level name.</summary>
    public string Subgroup { get; init; } = Infra.Core.Metadata.DifficultyScheme.LevelName(Difficulty);
}
