namespace Infra.Aggregation.Reports.Charts;

/// <summary>One bar of a horizontal bar chart.</summary>
/// <param name="Label">Drawn left of the bar.</param>
/// <param name="Value">The bar's length from 0 (negative values extend left).</param>
public sealed record HorizontalBar(string Label, double Value)
{
    /// <summary>Lower end of the error bar; null (the default) draws none.</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper end of the error bar; null (the default) draws none.</summary>
    public double? CiHigh { get; init; }
}
