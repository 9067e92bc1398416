namespace Infra.Aggregation.Reports;

/// <summary>One cell of the cross-domain matrix: the mean score of a training domain and difficulty for a query domain.</summary>
/// <param name="QueryDomain">The queries' domain (a row).</param>
/// <param name="TrainingDomain">The training examples' domain, or the group's value under another grouping (with the subgroup, a column).</param>
/// <param name="Difficulty">The training examples' difficulty (0 = unlabelled, or not a difficulty grouping).</param>
/// <param name="Mean">Mean example score.</param>
public sealed record CrossDomainCell(string QueryDomain, string TrainingDomain, int Difficulty, double Mean)
{
    /// <summary>
    /// The cell's second grouping value as shown ("3", "unlabelled", "interview"); "" with a one-column grouping.
    /// Defaults to <see cref="Difficulty"/> as a level name (0 = "unlabelled").
    /// </summary>
    public string Subgroup { get; init; } = Infra.Core.Metadata.DifficultyScheme.LevelName(Difficulty);
}

