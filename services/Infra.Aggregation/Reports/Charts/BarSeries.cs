namespace Infra.Aggregation.Reports.Charts;

/// <summary>One series of a grouped bar chart: a value per group, NaN where the group has no data.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="Values">One value per group of the chart.</param>
/// <param name="Color">Fill as "#rrggbb".</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, string Color)
{
    /// <summary>Lower ends of the error bars, one per group; null (the default) draws none.</summary>
    public IReadOnlyList<double>? CiLow { get; init; }

    /// <summary>Upper ends of the error bars, one per group; null (the default) draws none.</summary>
    public IReadOnlyList<double>? CiHigh { get; init; }
}
