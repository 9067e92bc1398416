using System.Globalization;
using System.Text;
using Infra.Aggregation.Reports.Charts;

namespace Infra.Aggregation.Reports;

/// <summary>
/// Writes the attribution report: one self-contained HTML file (inline CSS, inline SVG charts, a few
/// lines of inline script for the token tooltip and the prompt toggle; no external URLs, fonts or
/// scripts), plus every chart as a standalone SVG and a PNG. The same model gives the same bytes.
/// </summary>
/// <remarks>
/// Sections, each a &lt;section&gt; with a stable id: summary, domain-difficulty, cross-domain,
/// behaviours, token-rankings, top-examples, bottom-examples, top-sequences, reweighting. A section
/// without data holds a &lt;p class="empty"&gt; note instead of failing.
/// </remarks>
public static class HtmlReportWriter
{
    /// <summary>The report's file name in the output folder: "report.html".</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The charts' sub-folder of the output folder: "charts".</summary>
    public const string ChartsFolderName = "charts";

    /// <summary>The report as an HTML document.</summary>
    public static string Render(ReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Render(model, ReportChartSet.All(model));
    }

    /// <summary>
    /// Writes "report.html" and "charts/NAME.svg" + "charts/NAME.png" for every chart into
    /// <paramref name="folder"/> (created if missing; files of the same names are replaced).
    /// </summary>
    /// <returns>The paths written.</returns>
    public static ReportFiles Write(ReportModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var charts = ReportChartSet.All(model);
        var chartsFolder = Path.Combine(folder, ChartsFolderName);
        Directory.CreateDirectory(chartsFolder);
        var files = new List<ReportChartFile>();
        foreach (var chart in charts)
        {
            var svgPath = Path.GetFullPath(Path.Combine(chartsFolder, chart.Name + ".svg"));
            var pngPath = Path.GetFullPath(Path.Combine(chartsFolder, chart.Name + ".png"));
            var document = SvgCharts.ToDocument(chart.Svg);
            File.WriteAllText(svgPath, document, new UTF8Encoding(false));
            File.WriteAllBytes(pngPath, SvgPng.Render(document));
            files.Add(new ReportChartFile(chart.Name, svgPath, pngPath));
        }
        var htmlPath = Path.GetFullPath(Path.Combine(folder, HtmlFileName));
        File.WriteAllText(htmlPath, Render(model, charts), new UTF8Encoding(false));
        return new ReportFiles(htmlPath, files);
    }

    private static string Render(ReportModel model, IReadOnlyList<NamedChart> charts)
    {
        var byName = charts.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var html = new StringBuilder(64 * 1024);
        var title = HtmlText.Escape(model.Run.Title);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{title}</title>\n<style>\n{ReportAssets.Css}\n</style>\n</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<header class=\"page\"><h1 id=\"report-title\">{title}</h1><p>Which training data helped the model answer the {HtmlText.Escape(string.Join(" and ", ReportDomains.QueryDomains(model)))} test problems: influence per example, per sequence and per token.</p></header>\n");
        html.Append("<nav id=\"report-nav\">");
        foreach (var (id, label) in Sections)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"#{id}\">{label}</a>");
        }
        html.Append("</nav>\n<main>\n");
        ReportSectionsHtml.Summary(html, model);
        ReportSectionsHtml.DomainDifficulty(html, model, byName);
        ReportSectionsHtml.CrossDomain(html, model, byName);
        ReportSectionsHtml.Behaviours(html, model, byName);
        ReportSectionsHtml.TokenRankings(html, model, byName);
        ReportSectionsHtml.Examples(html, "top-examples", "Most helpful training examples", model.TopExamples, "top");
        ReportSectionsHtml.Examples(html, "bottom-examples", "Most harmful training examples", model.BottomExamples, "bottom");
        ReportSectionsHtml.TopSequences(html, model);
        ReportSectionsHtml.Reweighting(html, model, byName);
        html.Append("</main>\n<div id=\"tok-tip\" role=\"tooltip\" hidden></div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<script>\n{ReportAssets.Script}\n</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static readonly (string Id, string Label)[] Sections =
    [
        ("summary", "Summary"),
        ("domain-difficulty", "Domain x difficulty"),
        ("cross-domain", "Cross-domain"),
        ("behaviours", "Behaviours"),
        ("token-rankings", "Tokens"),
        ("top-examples", "Top examples"),
        ("bottom-examples", "Bottom examples"),
        ("top-sequences", "Top sequences"),
        ("reweighting", "Reweighting"),
    ];
}
