namespace Infra.Aggregation.Reweighting;

/// <summary>
/// A training example as the reweighting schemes see it: id, training domain, difficulty (0 = unlabelled), its
/// influence (mean raw influence over the chosen queries; NaN when unscored) and its size in tokens (1 when token
/// counts are unknown, so budgets become example counts).
/// </summary>
public sealed record WeightingExample(string Id, string Domain, int Difficulty, double Influence, double Tokens = 1)
{
    /// <summary>The example's value of the first grouping column (a cell's group). Defaults to <see cref="Domain"/>.</summary>
    public string Group { get; init; } = Domain;

    /// <summary>
    /// Its value of the second grouping column; "" under a one-column grouping. Defaults to <see cref="Difficulty"/> as a
    /// level name ("unlabelled" for 0), i.e. the default grouping domain x difficulty.
    /// </summary>
    public string Subgroup { get; init; } = Infra.Core.Metadata.DifficultyScheme.LevelName(Difficulty);
}
