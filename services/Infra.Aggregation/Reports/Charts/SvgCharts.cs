using System.Xml.Linq;
using static Infra.Aggregation.Reports.Charts.SvgElements;

namespace Infra.Aggregation.Reports.Charts;

/// <summary>
/// The report's charts as self-contained SVG (no scripts, fonts or links): the same element goes
/// inline into the HTML and, serialised, into a standalone .svg file that <see cref="SvgPng"/> rasterises.
/// Layout is fixed-size and deterministic: the same chart gives the same bytes.
/// </summary>
public static class SvgCharts
{
    private const string Axis = "#555555";
    private const string Grid = "#e6e6e6";

    /// <summary>
    /// Bars grouped along x, one per series, with 95% CI error bars where the series has them; 640 x 340.
    /// NaN values draw no bar.
    /// </summary>
    public static XElement GroupedBars(GroupedBarChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        const double width = 640, height = 340, left = 78, right = 16, top = 56, bottom = 44;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var scale = AxisScale.Over(chart.Series.SelectMany(s =>
            s.Values.Concat(s.CiLow ?? []).Concat(s.CiHigh ?? [])));
        double Y(double v) => scale.Map(v, top + plotH, top);

        var content = new List<object> { Text(left, 20, chart.Title, 14, "start", "#111111", new XAttribute("font-weight", "bold")) };
        content.AddRange(YAxis(scale, Y, left, plotW, chart.YLabel, top, plotH));
        content.AddRange(Legend(chart.Series.Select(s => (s.Name, s.Color)).ToList(), left, 38));

        var groupW = chart.Groups.Count == 0 ? plotW : plotW / chart.Groups.Count;
        var barW = chart.Series.Count == 0 ? 0 : groupW * 0.8 / chart.Series.Count;
        for (var g = 0; g < chart.Groups.Count; g++)
        {
            var gx = left + (g * groupW);
            content.Add(Text(gx + (groupW / 2), top + plotH + 18, chart.Groups[g], 11, "middle"));
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var series = chart.Series[s];
                var v = g < series.Values.Count ? series.Values[g] : double.NaN;
                if (!double.IsFinite(v))
                    continue;
                var x = gx + (groupW * 0.1) + (s * barW);
                var y0 = Y(0);
                var y1 = Y(v);
                var lo = series.CiLow is { } l && g < l.Count ? l[g] : double.NaN;
                var hi = series.CiHigh is { } h && g < h.Count ? h[g] : double.NaN;
                var tip = $"{series.Name}, {chart.Groups[g]}: {ReportFormat.Score(v)}"
                    + (double.IsFinite(lo) && double.IsFinite(hi) ? $" (95% CI {ReportFormat.Score(lo)} to {ReportFormat.Score(hi)})" : "");
                content.Add(Rect(x, Math.Min(y0, y1), barW * 0.92, Math.Abs(y1 - y0), series.Color,
                    new XAttribute("class", "bar"), new XAttribute("data-series", series.Name), new XAttribute("data-group", chart.Groups[g]),
                    new XAttribute("data-value", ReportFormat.Score(v)), Title(tip)));
                if (double.IsFinite(lo) && double.IsFinite(hi))
                    content.Add(ErrorBar(x + (barW * 0.46), Y(lo), Y(hi), Math.Min(6, barW * 0.3)));
            }
        }
        content.Add(Line(left, Y(0), left + plotW, Y(0), Axis, 1));
        return Root(width, height, "grouped-bars", chart.Title, content.ToArray());
    }

    /// <summary>
    /// A matrix of coloured cells on the diverging scale (symmetric by the largest |value|), each
    /// labelled with its value, with a colour legend below; cells are 64 x 34, null cells grey.
    /// </summary>
    public static XElement HeatMap(HeatMapChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        const double cellW = 64, cellH = 34, left = 96, top = 62, legendH = 74;
        var width = Math.Max(360, left + (chart.Columns.Count * cellW) + 16);
        var height = top + (chart.Rows.Count * cellH) + legendH;
        var maxAbs = chart.Values.SelectMany(r => r).Where(v => v is { } x && double.IsFinite(x)).Select(v => Math.Abs(v!.Value)).DefaultIfEmpty(0).Max();

        var content = new List<object> { Text(12, 20, chart.Title, 14, "start", "#111111", new XAttribute("font-weight", "bold")) };
        for (var c = 0; c < chart.Columns.Count; c++)
        {
            content.Add(Text(left + (c * cellW) + (cellW / 2), top - 8, chart.Columns[c], 10, "middle"));
        }
        for (var r = 0; r < chart.Rows.Count; r++)
        {
            var y = top + (r * cellH);
            content.Add(Text(left - 8, y + (cellH / 2) + 4, chart.Rows[r], 11, "end"));
            for (var c = 0; c < chart.Columns.Count; c++)
            {
                var x = left + (c * cellW);
                var value = r < chart.Values.Count && c < chart.Values[r].Count ? chart.Values[r][c] : null;
                if (value is not { } v || !double.IsFinite(v))
                {
                    content.Add(Rect(x, y, cellW - 2, cellH - 2, "#eeeeee", new XAttribute("class", "cell empty"), Title($"{chart.Rows[r]} x {chart.Columns[c]}: no data")));
                    continue;
                }
                content.Add(Rect(x, y, cellW - 2, cellH - 2, DivergingColorScale.Hex(v, maxAbs),
                    new XAttribute("class", "cell"), new XAttribute("data-row", chart.Rows[r]), new XAttribute("data-column", chart.Columns[c]),
                    new XAttribute("data-value", ReportFormat.Score(v)), Title($"{chart.Rows[r]} x {chart.Columns[c]}: {ReportFormat.Score(v)}")));
                content.Add(Text(x + ((cellW - 2) / 2), y + (cellH / 2) + 3, ShortScore(v), 9, "middle",
                    DivergingColorScale.NeedsLightText(v, maxAbs) ? "#ffffff" : "#222222"));
            }
        }
        content.AddRange(ColorLegend(left, top + (chart.Rows.Count * cellH) + 18, Math.Min(240, width - left - 16), maxAbs));
        return Root(width, height, "heat-map", chart.Title, content.ToArray());
    }

    /// <summary>
    /// Labelled horizontal bars from a zero line (positive red, negative blue), with error bars where
    /// given; 640 wide, 22 per bar.
    /// </summary>
    public static XElement HorizontalBars(HorizontalBarChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        const double width = 640, left = 170, right = 80, top = 40, rowH = 22, bottom = 40;
        var plotW = width - left - right;
        var height = top + (Math.Max(1, chart.Bars.Count) * rowH) + bottom;
        var scale = AxisScale.Over(chart.Bars.SelectMany(b => new[] { b.Value, b.CiLow ?? 0, b.CiHigh ?? 0 }), 4);
        double X(double v) => scale.Map(v, left, left + plotW);
        var plotBottom = top + (chart.Bars.Count * rowH);

        var content = new List<object> { Text(12, 20, chart.Title, 14, "start", "#111111", new XAttribute("font-weight", "bold")) };
        foreach (var tick in scale.Ticks)
        {
            content.Add(Line(X(tick), top - 4, X(tick), plotBottom, Grid, 1));
            content.Add(Text(X(tick), plotBottom + 14, scale.Label(tick), 10, "middle", Axis));
        }
        content.Add(Text(left + (plotW / 2), plotBottom + 32, chart.XLabel, 11, "middle", Axis));
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = top + (i * rowH);
            content.Add(Text(left - 8, y + (rowH / 2) + 4, bar.Label, 11, "end", "#222222", new XAttribute("class", "bar-label")));
            if (!double.IsFinite(bar.Value))
                continue;
            var x0 = X(0);
            var x1 = X(bar.Value);
            var color = bar.Value >= 0 ? DivergingColorScale.Hex(1, 1) : DivergingColorScale.Hex(-1, 1);
            var tip = $"{bar.Label}: {ReportFormat.Score(bar.Value)}"
                + (bar.CiLow is { } l && bar.CiHigh is { } h ? $" (95% CI {ReportFormat.Score(l)} to {ReportFormat.Score(h)})" : "");
            content.Add(Rect(Math.Min(x0, x1), y + 4, Math.Abs(x1 - x0), rowH - 8, color,
                new XAttribute("class", "bar"), new XAttribute("data-label", bar.Label), new XAttribute("data-value", ReportFormat.Score(bar.Value)), Title(tip)));
            if (bar.CiLow is { } lo && bar.CiHigh is { } hi && double.IsFinite(lo) && double.IsFinite(hi))
            {
                var cy = y + (rowH / 2);
                content.Add(Line(X(lo), cy, X(hi), cy, "#222222", 1.2));
                content.Add(Line(X(lo), cy - 4, X(lo), cy + 4, "#222222", 1.2));
                content.Add(Line(X(hi), cy - 4, X(hi), cy + 4, "#222222", 1.2));
            }
            var end = Math.Max(x1, Math.Max(x0, bar.CiHigh is { } ch && double.IsFinite(ch) ? X(ch) : x0));
            content.Add(Text(end + 4, y + (rowH / 2) + 4, ReportFormat.Score(bar.Value), 9, "start", Axis));
        }
        content.Add(Line(X(0), top - 4, X(0), plotBottom, Axis, 1));
        return Root(width, height, "horizontal-bars", chart.Title, content.ToArray());
    }

    /// <summary>The chart as a standalone SVG document (XML declaration, UTF-8, no indentation).</summary>
    public static string ToDocument(XElement svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg.ToString(SaveOptions.DisableFormatting) + "\n";
    }

    private static IEnumerable<XElement> YAxis(AxisScale scale, Func<double, double> y, double left, double plotW, string label, double top, double plotH)
    {
        foreach (var tick in scale.Ticks)
        {
            yield return Line(left, y(tick), left + plotW, y(tick), Grid, 1);
            yield return Text(left - 6, y(tick) + 4, scale.Label(tick), 10, "end", Axis);
        }
        yield return Line(left, top, left, top + plotH, Axis, 1);
        yield return Text(16, top + (plotH / 2), label, 11, "middle", Axis,
            new XAttribute("transform", $"rotate(-90 16 {F(top + (plotH / 2))})"));
    }

    private static IEnumerable<XElement> Legend(IReadOnlyList<(string Name, string Color)> entries, double x, double y)
    {
        foreach (var (name, color) in entries)
        {
            yield return Rect(x, y - 9, 12, 12, color);
            yield return Text(x + 16, y + 1, name, 11);
            x += 28 + (name.Length * 7);
        }
    }

    private static IEnumerable<XElement> ColorLegend(double x, double y, double width, double maxAbs)
    {
        const int steps = 24;
        for (var i = 0; i < steps; i++)
        {
            var v = -maxAbs + ((2 * maxAbs) * (i + 0.5) / steps);
            yield return Rect(x + (i * width / steps), y, (width / steps) + 0.5, 12, DivergingColorScale.Hex(v, maxAbs), new XAttribute("class", "legend-step"));
        }
        yield return Rect(x, y, width, 12, "none", new XAttribute("stroke", "#999999"), new XAttribute("stroke-width", "0.5"));
        yield return Text(x, y + 26, ReportFormat.Score(-maxAbs), 10, "start", Axis);
        yield return Text(x + (width / 2), y + 26, "0", 10, "middle", Axis);
        yield return Text(x + width, y + 26, ReportFormat.Score(maxAbs), 10, "end", Axis);
        yield return Text(x, y + 42, "red: helpful (positive), blue: harmful (negative)", 10, "start", Axis, new XAttribute("class", "legend-caption"));
    }

    private static XElement ErrorBar(double x, double yLow, double yHigh, double cap) =>
        new(Ns + "g", new XAttribute("class", "error-bar"),
            Line(x, yLow, x, yHigh, "#222222", 1.2),
            Line(x - cap, yLow, x + cap, yLow, "#222222", 1.2),
            Line(x - cap, yHigh, x + cap, yHigh, "#222222", 1.2));

    private static string ShortScore(double v) =>
        v == 0 ? "0" : v.ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture);
}
