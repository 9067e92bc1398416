using System.Xml.Linq;
using Infra.Aggregation.Reports;
using Infra.Aggregation.Reports.Charts;

namespace Infra.Aggregation.Tests.Reports;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly GroupedBarChart Grouped = new("Mean <score> & \"CI\"", "mean", ["difficulty 1", "difficulty 2", "difficulty 3"],
    [
        new BarSeries("math", [1e-4, -2e-4, double.NaN], "#4c72b0") { CiLow = [0.5e-4, -3e-4, double.NaN], CiHigh = [1.5e-4, -1e-4, double.NaN] },
        new BarSeries("code <py>", [3e-4, 0, 2e-4], "#dd8452"),
    ]);

    [Fact]
    public void Grouped_bars_are_well_formed_svg_with_a_bar_per_finite_value_and_error_bars_where_given()
    {
        var doc = XDocument.Parse(SvgCharts.ToDocument(SvgCharts.GroupedBars(Grouped)));
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal("grouped-bars", doc.Root.Attribute("data-chart")!.Value);
        var bars = doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(5, bars.Count);
        Assert.Equal(2, doc.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "error-bar"));
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "Mean <score> & \"CI\"");
        Assert.Contains(bars, b => b.Attribute("data-series")!.Value == "code <py>");
        // The negative bar hangs below the zero line: its top is the zero line's y.
        var negative = bars.Single(b => b.Attribute("data-value")!.Value == ReportFormat.Score(-2e-4));
        var positive = bars.Single(b => b.Attribute("data-value")!.Value == ReportFormat.Score(1e-4));
        Assert.True(double.Parse(negative.Attribute("y")!.Value, System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(positive.Attribute("y")!.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Heat_map_colours_cells_symmetrically_greys_missing_ones_and_has_a_legend()
    {
        var chart = new HeatMapChart("cross", ["math queries", "code queries"], ["math d1", "code d1", "code d2"],
            [[2.0, -1.0, null], [-2.0, 0.0, 1.0]]);
        var doc = XDocument.Parse(SvgCharts.ToDocument(SvgCharts.HeatMap(chart)));
        var cells = doc.Descendants(Svg + "rect").Where(r => ((string?)r.Attribute("class"))?.StartsWith("cell", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(6, cells.Count);
        string Fill(string row, string column) => cells.Single(c => (string?)c.Attribute("data-row") == row && (string?)c.Attribute("data-column") == column).Attribute("fill")!.Value;
        Assert.Equal("#b2182b", Fill("math queries", "math d1"));
        Assert.Equal("#2166ac", Fill("code queries", "math d1"));
        Assert.Equal("#ffffff", Fill("code queries", "code d1"));
        Assert.Single(cells, c => c.Attribute("class")!.Value == "cell empty");
        Assert.True(doc.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "legend-step") >= 10);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == ReportFormat.Score(2.0));
    }

    [Fact]
    public void Horizontal_bars_colour_by_sign_and_escape_token_labels()
    {
        var chart = new HorizontalBarChart("tokens", "sum", [new HorizontalBar("<|im_end|>", 3), new HorizontalBar("&", -1) { CiLow = -2, CiHigh = 0.5 }]);
        var doc = XDocument.Parse(SvgCharts.ToDocument(SvgCharts.HorizontalBars(chart)));
        var bars = doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(["#b2182b", "#2166ac"], bars.Select(b => b.Attribute("fill")!.Value));
        Assert.Equal(["<|im_end|>", "&"], doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "bar-label").Select(t => t.Value));
    }

    [Fact]
    public void Empty_charts_are_still_well_formed()
    {
        XDocument.Parse(SvgCharts.ToDocument(SvgCharts.GroupedBars(new GroupedBarChart("none", "y", [], []))));
        XDocument.Parse(SvgCharts.ToDocument(SvgCharts.HeatMap(new HeatMapChart("none", [], [], []))));
        XDocument.Parse(SvgCharts.ToDocument(SvgCharts.HorizontalBars(new HorizontalBarChart("none", "x", []))));
    }

    [Fact]
    public void Every_chart_of_the_sample_report_is_well_formed_svg()
    {
        var model = SampleReport.Build();
        var folder = RepositoryPaths.Artifacts("svg-wellformed");
        var files = HtmlReportWriter.Write(model, folder);
        Assert.Equal(9, files.Charts.Count); // 2 domain x difficulty, cross-domain, behaviours, 2 x (tokens, categories), reweighting
        foreach (var chart in files.Charts)
        {
            var doc = XDocument.Load(chart.SvgPath);
            Assert.Equal(Svg + "svg", doc.Root!.Name);
            Assert.True(doc.Descendants(Svg + "rect").Count() > 2, chart.Name);
        }
    }

    [Fact]
    public void Same_chart_gives_the_same_bytes() =>
        Assert.Equal(SvgCharts.ToDocument(SvgCharts.GroupedBars(Grouped)), SvgCharts.ToDocument(SvgCharts.GroupedBars(Grouped)));
}
