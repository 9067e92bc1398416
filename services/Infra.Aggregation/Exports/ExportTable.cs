using System.Globalization;

namespace Infra.Aggregation.Exports;

/// <summary>
/// A small in-memory table: named typed columns and rows of values, checked as they are added so
/// that the CSV and Parquet writers never meet a value of the wrong type. Roll-up outputs are
/// bounded (cells, top lists, summaries), so holding them in memory is fine; per-example tables are
/// O(examples), never O(examples x queries).
/// </summary>
public sealed class ExportTable
{
    private readonly List<object?[]> rows = [];

    /// <summary>Creates an empty table; column names must be non-empty and distinct.</summary>
    public ExportTable(string name, IReadOnlyList<ExportColumn> columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("a table needs at least one column", nameof(columns));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(column.Name, nameof(columns));
            if (!seen.Add(column.Name))
            {
                throw new ArgumentException($"duplicate column name '{column.Name}'", nameof(columns));
            }
        }
        Name = name;
        Columns = [.. columns];
    }

    /// <summary>The table's name (used for file names by callers).</summary>
    public string Name { get; }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>The rows added so far; each has one value per column (null allowed).</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Rows => rows;

    /// <summary>Number of rows.</summary>
    public int RowCount => rows.Count;

    /// <summary>
    /// Adds a row. Values must match the column types: string for <see cref="ColumnType.String"/>,
    /// int or long for <see cref="ColumnType.Int64"/> (stored as long), double or float for
    /// <see cref="ColumnType.Double"/> (stored as double), bool for <see cref="ColumnType.Boolean"/>; null for any.
    /// </summary>
    /// <summary>A copy with one more string column holding <paramref name="value"/> in every row (e.g. the scores' fidelity).</summary>
    public ExportTable WithConstantColumn(string column, string value)
    {
        var copy = new ExportTable(Name, [.. Columns, new ExportColumn(column, ColumnType.String)]);
        foreach (var row in rows) copy.AddRow([.. row, value]);
        return copy;
    }

    public void AddRow(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException(
                $"table '{Name}' has {Columns.Count.ToString(CultureInfo.InvariantCulture)} columns but the row has {values.Length.ToString(CultureInfo.InvariantCulture)} values",
                nameof(values));
        }
        var row = new object?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            row[i] = Normalize(Columns[i], values[i]);
        }
        rows.Add(row);
    }

    private object? Normalize(ExportColumn column, object? value) => (column.Type, value) switch
    {
        (_, null) => null,
        (ColumnType.String, string text) => text,
        (ColumnType.Int64, int number) => (long)number,
        (ColumnType.Int64, long number) => number,
        (ColumnType.Double, double number) => number,
        (ColumnType.Double, float number) => (double)number,
        (ColumnType.Boolean, bool flag) => flag,
        _ => throw new ArgumentException(
            $"table '{Name}', column '{column.Name}' is {column.Type} but the value is {value.GetType().Name}"),
    };
}
