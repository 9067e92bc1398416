namespace Infra.Aggregation.Reports.Charts;

/// <summary>Bars grouped along the x axis (e.g. by difficulty), one bar per series in each group.</summary>
/// <param name="Title">Drawn above the plot.</param>
/// <param name="YLabel">The value axis' label.</param>
/// <param name="Groups">Group labels along the x axis.</param>
/// <param name="Series">The series; each has one value per group.</param>
public sealed record GroupedBarChart(string Title, string YLabel, IReadOnlyList<string> Groups, IReadOnlyList<BarSeries> Series);
