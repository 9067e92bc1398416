namespace Infra.Aggregation.Reports;

/// <summary>What <see cref="HtmlReportWriter.Write"/> wrote.</summary>
/// <param name="HtmlPath">Full path of the self-contained report, "report.html".</param>
/// <param name="Charts">Every chart of the report as "charts/NAME.svg" and "charts/NAME.png", in report order.</param>
public sealed record ReportFiles(string HtmlPath, IReadOnlyList<ReportChartFile> Charts);
