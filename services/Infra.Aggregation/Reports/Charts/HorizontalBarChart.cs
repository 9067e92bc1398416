namespace Infra.Aggregation.Reports.Charts;

/// <summary>Labelled bars from a zero line, top to bottom in list order; positive red, negative blue.</summary>
/// <param name="Title">Drawn above the bars.</param>
/// <param name="XLabel">The value axis' label.</param>
/// <param name="Bars">The bars, in display order.</param>
public sealed record HorizontalBarChart(string Title, string XLabel, IReadOnlyList<HorizontalBar> Bars);
