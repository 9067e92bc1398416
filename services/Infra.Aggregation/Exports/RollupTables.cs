using Infra.Aggregation.Rollups;

namespace Infra.Aggregation.Exports;

/// <summary>
/// Roll-up results as <see cref="ExportTable"/>s, ready for <see cref="CsvTableWriter"/> and
/// <see cref="ParquetTableWriter"/>. Cell tables say in their "value" column what each statistic is
/// over: "mean influence per example over the query domain's queries". A null difficulty is "all".
/// </summary>
public static class RollupTables
{
    /// <summary>What the per-example value of every cell is; written in the "value" column.</summary>
    public const string CellValue = "mean influence per example over the query domain's queries";

    /// <summary>
    /// Roll-up cells (a <see cref="InfluenceRollup.DomainDifficultyTable"/> or the
    /// <see cref="InfluenceRollup.CrossDomainMatrix"/>, of any grouping): query_domain, training_domain, difficulty
    /// (null = all, or not a difficulty grouping), n, mean, median, sum, share_positive, ci_low, ci_high, group, subgroup
    /// ("" with one column or for the all-subgroups cell), all_subgroups, value.
    /// </summary>
    public static ExportTable Cells(string name, IEnumerable<RollupCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var table = new ExportTable(name,
        [
            new("query_domain", ColumnType.String),
            new("training_domain", ColumnType.String),
            new("difficulty", ColumnType.Int64),
            new("n", ColumnType.Int64),
            new("mean", ColumnType.Double),
            new("median", ColumnType.Double),
            new("sum", ColumnType.Double),
            new("share_positive", ColumnType.Double),
            new("ci_low", ColumnType.Double),
            new("ci_high", ColumnType.Double),
            new("group", ColumnType.String),
            new("subgroup", ColumnType.String),
            new("all_subgroups", ColumnType.Boolean),
            new("value", ColumnType.String),
        ]);
        foreach (var cell in cells)
        {
            var stats = cell.Statistics;
            table.AddRow(cell.QueryDomain, cell.TrainingDomain, cell.Difficulty, stats.N, stats.Mean, stats.Median, stats.Sum, stats.SharePositive, stats.CiLow, stats.CiHigh, cell.Group, cell.Subgroup, cell.AllSubgroups, CellValue);
        }
        return table;
    }

    /// <summary>Top and bottom examples of every query domain (and "all"): query_domain, list ("top"/"bottom"), rank (1-based), example_id, training_domain, difficulty, influence, queries.</summary>
    public static ExportTable RankedExamples(string name, InfluenceRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var table = new ExportTable(name,
        [
            new("query_domain", ColumnType.String),
            new("list", ColumnType.String),
            new("rank", ColumnType.Int64),
            new("example_id", ColumnType.String),
            new("training_domain", ColumnType.String),
            new("difficulty", ColumnType.Int64),
            new("influence", ColumnType.Double),
            new("queries", ColumnType.Int64),
        ]);
        foreach (var queryDomain in rollup.QueryDomains.Append(InfluenceRollup.AllQueries))
        {
            foreach (var (list, examples) in new[] { ("top", rollup.TopExamples(queryDomain)), ("bottom", rollup.BottomExamples(queryDomain)) })
            {
                for (var i = 0; i < examples.Count; i++)
                {
                    var example = examples[i];
                    table.AddRow(queryDomain, list, i + 1, example.ExampleId, example.Domain, example.Difficulty, example.Influence, example.Queries);
                }
            }
        }
        return table;
    }

    /// <summary>Top and bottom single scores per query domain: query_domain, list, rank, example_id, query_id, score.</summary>
    public static ExportTable ScoredPairs(string name, InfluenceRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var table = new ExportTable(name,
        [
            new("query_domain", ColumnType.String),
            new("list", ColumnType.String),
            new("rank", ColumnType.Int64),
            new("example_id", ColumnType.String),
            new("query_id", ColumnType.String),
            new("score", ColumnType.Double),
        ]);
        foreach (var queryDomain in rollup.QueryDomains)
        {
            foreach (var (list, pairs) in new[] { ("top", rollup.TopScores(queryDomain)), ("bottom", rollup.BottomScores(queryDomain)) })
            {
                for (var i = 0; i < pairs.Count; i++)
                {
                    table.AddRow(queryDomain, list, i + 1, pairs[i].ExampleId, pairs[i].QueryId, pairs[i].Score);
                }
            }
        }
        return table;
    }

    /// <summary>The behaviour comparison, one row per (query domain, tag), columns named after <see cref="BehaviourComparisonRow"/>'s fields in snake_case.</summary>
    public static ExportTable BehaviourComparison(string name, IEnumerable<BehaviourComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new ExportTable(name,
        [
            new("query_domain", ColumnType.String),
            new("tag", ColumnType.String),
            new("tagged_n", ColumnType.Int64),
            new("tagged_mean_score", ColumnType.Double),
            new("tagged_mean_per_token", ColumnType.Double),
            new("untagged_n", ColumnType.Int64),
            new("untagged_mean_score", ColumnType.Double),
            new("untagged_mean_per_token", ColumnType.Double),
            new("score_difference", ColumnType.Double),
            new("score_difference_ci_low", ColumnType.Double),
            new("score_difference_ci_high", ColumnType.Double),
            new("per_token_difference", ColumnType.Double),
            new("per_token_difference_ci_low", ColumnType.Double),
            new("per_token_difference_ci_high", ColumnType.Double),
        ]);
        foreach (var row in rows)
        {
            table.AddRow(row.QueryDomain, row.Tag, row.TaggedN, row.TaggedMeanScore, row.TaggedMeanPerToken, row.UntaggedN, row.UntaggedMeanScore, row.UntaggedMeanPerToken,
                row.ScoreDifference, row.ScoreDifferenceCiLow, row.ScoreDifferenceCiHigh, row.PerTokenDifference, row.PerTokenDifferenceCiLow, row.PerTokenDifferenceCiHigh);
        }
        return table;
    }

    /// <summary>Top and bottom sequences per query domain: query_domain, list, rank, example_id, sequence_index, training_domain, difficulty, tags (sorted, ';'-joined), token_count, score, per_token_score.</summary>
    public static ExportTable Sequences(string name, SequenceRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var table = new ExportTable(name,
        [
            new("query_domain", ColumnType.String),
            new("list", ColumnType.String),
            new("rank", ColumnType.Int64),
            new("example_id", ColumnType.String),
            new("sequence_index", ColumnType.Int64),
            new("training_domain", ColumnType.String),
            new("difficulty", ColumnType.Int64),
            new("tags", ColumnType.String),
            new("token_count", ColumnType.Int64),
            new("score", ColumnType.Double),
            new("per_token_score", ColumnType.Double),
        ]);
        foreach (var queryDomain in rollup.QueryDomains)
        {
            foreach (var (list, sequences) in new[] { ("top", rollup.TopSequences(queryDomain)), ("bottom", rollup.BottomSequences(queryDomain)) })
            {
                for (var i = 0; i < sequences.Count; i++)
                {
                    var s = sequences[i];
                    table.AddRow(queryDomain, list, i + 1, s.ExampleId, s.SequenceIndex, s.TrainingDomain, s.Difficulty,
                        string.Join(';', s.Tags.Order(StringComparer.Ordinal)), s.TokenCount, s.Score, s.PerTokenScore);
                }
            }
        }
        return table;
    }
}
