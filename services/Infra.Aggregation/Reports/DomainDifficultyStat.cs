namespace Infra.Aggregation.Reports;

/// <summary>
/// Scores of the training examples of one domain and difficulty (or one group and subgroup of any grouping, see
/// <see cref="ReportRunInfo.GroupBy"/>) against one query domain's queries.
/// </summary>
/// <param name="QueryDomain">The queries' domain, e.g. "math".</param>
/// <param name="TrainingDomain">The training examples' domain, e.g. "code" (under another grouping: the group's value).</param>
/// <param name="Difficulty">The training examples' difficulty (1 to 5 in the lab corpus; 0 = unlabelled, or not a difficulty grouping).</param>
/// <param name="N">Examples in the cell.</param>
/// <param name="Mean">Mean example score.</param>
/// <param name="Median">Median example score.</param>
/// <param name="Sum">Summed example score.</param>
/// <param name="SharePositive">Fraction of examples with a positive score, in [0, 1].</param>
/// <param name="CiLow">Lower end of the 95% confidence interval of <paramref name="Mean"/>.</param>
/// <param name="CiHigh">Upper end of the 95% confidence interval of <paramref name="Mean"/>.</param>
public sealed record DomainDifficultyStat(
    string QueryDomain,
    string TrainingDomain,
    int Difficulty,
    int N,
    double Mean,
    double Median,
    double Sum,
    double SharePositive,
    double CiLow,
    double CiHigh)
{
    /// <summary>
    /// The cell's second grouping value as shown ("3", "unlabelled", "interview"); "" with a one-column grouping.
    /// Defaults to <see cref="Difficulty"/> as a level name (0 = "unlabelled").
    /// </summary>
    public string Subgroup { get; init; } = Infra.Core.Metadata.DifficultyScheme.LevelName(Difficulty);
}
