namespace Infra.Aggregation.Reweighting;

/// <summary>The per-example weights of a <see cref="DifficultyFlip"/> (in input order) and the per-cell working.</summary>
public sealed record DifficultyFlipResult(IReadOnlyList<WeightedExample> Examples, IReadOnlyList<DifficultyFlipCell> Cells);
