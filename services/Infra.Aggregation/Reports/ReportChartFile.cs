namespace Infra.Aggregation.Reports;

/// <summary>One chart written beside the report.</summary>
/// <param name="Name">The chart's file stem, e.g. "domain-difficulty-math".</param>
/// <param name="SvgPath">Full path of the standalone SVG.</param>
/// <param name="PngPath">Full path of its PNG rendering.</param>
public sealed record ReportChartFile(string Name, string SvgPath, string PngPath);
