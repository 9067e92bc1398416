namespace Infra.Aggregation.Rollups;

/// <summary>
/// One cell of a roll-up: the training examples of one group (and subgroup) of a <see cref="Grouping"/> as seen by
/// the queries of <see cref="QueryDomain"/> (<see cref="InfluenceRollup.AllQueries"/>: every query). The statistics
/// are over per-example values, each example's mean influence over those queries.
/// </summary>
/// <remarks>
/// Under the default grouping <see cref="TrainingDomain"/> and <see cref="Difficulty"/> (null: all difficulties) say
/// which cell it is, as they always did, and <see cref="Group"/>/<see cref="Subgroup"/> default to them. Under another
/// grouping <see cref="TrainingDomain"/> is the cell's domain when "domain" is a grouping column (else "") and
/// <see cref="Difficulty"/> its level when "difficulty" is (else null).
/// </remarks>
public sealed record RollupCell(string QueryDomain, string TrainingDomain, int? Difficulty, SummaryStatistics Statistics)
{
    /// <summary>The value of the first grouping column. Defaults to <see cref="TrainingDomain"/>.</summary>
    public string Group { get; init; } = TrainingDomain;

    /// <summary>
    /// The value of the second grouping column; "" with one column or for the all-subgroups cell. Defaults to the
    /// difficulty's level name ("unlabelled" for 0), or "" when <see cref="Difficulty"/> is null.
    /// </summary>
    public string Subgroup { get; init; } = Difficulty is { } level ? Infra.Core.Metadata.DifficultyScheme.LevelName(level) : "";

    /// <summary>
    /// True for the cell over every subgroup of <see cref="Group"/> (two-column groupings only), kept apart from the
    /// unlabelled subgroup that shares difficulty 0 on the wire. Defaults to <see cref="Difficulty"/> being null.
    /// </summary>
    public bool AllSubgroups { get; init; } = Difficulty is null;
}
