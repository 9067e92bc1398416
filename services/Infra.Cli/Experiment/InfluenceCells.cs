using Infra.Contracts.Aggregation.V1;
using Infra.Corpus;
using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>The experiment's influence cells read off the AggregationService's domain x difficulty roll-up.</summary>
internal static class InfluenceCells
{
    /// <summary>
    /// Per training cell (domain, difficulty; the "all difficulties" rows skipped): the cell's mean on the math
    /// queries' table and on the code queries' table (NaN where the set has no such queries), the mean of those two
    /// (each query domain counts equally, however many queries it has), and the examples in the cell (the "all"
    /// table's n). Sorted by domain then difficulty.
    /// </summary>
    public static IReadOnlyList<InfluenceCell> FromRollup(AggregateResult rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var byTable = rollup.Tables.ToDictionary(t => t.QueryDomain, t => t.Cells.Where(c => c.Difficulty > 0)
            .ToDictionary(c => new CellKey(c.TrainingDomain, c.Difficulty), c => c.Statistics), StringComparer.Ordinal);
        double MeanOn(string queryDomain, CellKey cell) =>
            byTable.TryGetValue(queryDomain, out var table) && table.TryGetValue(cell, out var s) && s.N > 0 ? s.Mean : double.NaN;
        var all = byTable.GetValueOrDefault("all") ?? [];
        return all.Keys.OrderBy(k => k.Domain, StringComparer.Ordinal).ThenBy(k => k.Difficulty)
            .Select(cell =>
            {
                var (onMath, onCode) = (MeanOn(CorpusFields.Math, cell), MeanOn(CorpusFields.Code, cell));
                var both = new[] { onMath, onCode }.Where(double.IsFinite).ToList();
                return new InfluenceCell(cell, (int)all[cell].N, onMath, onCode, both.Count == 0 ? double.NaN : both.Average());
            })
            .ToList();
    }
}
