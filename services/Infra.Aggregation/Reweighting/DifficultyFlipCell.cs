namespace Infra.Aggregation.Reweighting;

/// <summary>
/// One (training domain, difficulty) cell of a <see cref="DifficultyFlip"/>: its size, mean influence
/// m_c (NaN when no example of it was scored), standardized z_c, the clamped raw weight r_c and the
/// final weight w_c every example of the cell gets.
/// </summary>
public sealed record DifficultyFlipCell(string Domain, int Difficulty, int N, double MeanInfluence, double Z, double RawWeight, double Weight);
