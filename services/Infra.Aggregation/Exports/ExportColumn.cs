namespace Infra.Aggregation.Exports;

/// <summary>A named, typed column of an <see cref="ExportTable"/>.</summary>
public sealed record ExportColumn(string Name, ColumnType Type);
