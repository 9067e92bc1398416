using Infra.Aggregation.Reweighting;

namespace Infra.Aggregation.Exports;

/// <summary>Reweighting results as <see cref="ExportTable"/>s.</summary>
public static class ReweightingTables
{
    /// <summary>The per-cell summary: domain, difficulty, group, subgroup, n, old_share, new_share, mean_weight, mean_influence.</summary>
    public static ExportTable Summary(string name, IEnumerable<ReweightingCellSummary> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var table = new ExportTable(name,
        [
            new("domain", ColumnType.String),
            new("difficulty", ColumnType.Int64),
            new("group", ColumnType.String),
            new("subgroup", ColumnType.String),
            new("n", ColumnType.Int64),
            new("old_share", ColumnType.Double),
            new("new_share", ColumnType.Double),
            new("mean_weight", ColumnType.Double),
            new("mean_influence", ColumnType.Double),
        ]);
        foreach (var cell in cells)
        {
            table.AddRow(cell.Domain, cell.Difficulty, cell.Group, cell.Subgroup, cell.N, cell.OldShare, cell.NewShare, cell.MeanWeight, cell.MeanInfluence);
        }
        return table;
    }

    /// <summary>The difficulty flip's working per cell: domain, difficulty, group, subgroup, n, mean_influence, z, raw_weight, weight.</summary>
    public static ExportTable DifficultyFlipCells(string name, IEnumerable<DifficultyFlipCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var table = new ExportTable(name,
        [
            new("domain", ColumnType.String),
            new("difficulty", ColumnType.Int64),
            new("group", ColumnType.String),
            new("subgroup", ColumnType.String),
            new("n", ColumnType.Int64),
            new("mean_influence", ColumnType.Double),
            new("z", ColumnType.Double),
            new("raw_weight", ColumnType.Double),
            new("weight", ColumnType.Double),
        ]);
        foreach (var cell in cells)
        {
            table.AddRow(cell.Domain, cell.Difficulty, cell.Group, cell.Subgroup, cell.N, cell.MeanInfluence, cell.Z, cell.RawWeight, cell.Weight);
        }
        return table;
    }

    /// <summary>Per-example weights: id, domain, difficulty, tokens, influence, weight.</summary>
    public static ExportTable Weights(string name, IEnumerable<WeightedExample> weighted)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        var table = new ExportTable(name,
        [
            new("id", ColumnType.String),
            new("domain", ColumnType.String),
            new("difficulty", ColumnType.Int64),
            new("tokens", ColumnType.Double),
            new("influence", ColumnType.Double),
            new("weight", ColumnType.Double),
        ]);
        foreach (var item in weighted)
        {
            table.AddRow(item.Example.Id, item.Example.Domain, item.Example.Difficulty, item.Example.Tokens, item.Example.Influence, item.Weight);
        }
        return table;
    }
}
