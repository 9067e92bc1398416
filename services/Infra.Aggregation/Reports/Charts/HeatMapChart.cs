namespace Infra.Aggregation.Reports.Charts;

/// <summary>A matrix of values drawn on the diverging scale, symmetric by the largest |value|.</summary>
/// <param name="Title">Drawn above the matrix.</param>
/// <param name="Rows">Row labels.</param>
/// <param name="Columns">Column labels.</param>
/// <param name="Values">Values[row][column]; null where the cell has no data.</param>
public sealed record HeatMapChart(string Title, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<double?>> Values);
