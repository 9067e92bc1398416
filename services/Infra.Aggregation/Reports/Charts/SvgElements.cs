using System.Xml.Linq;

namespace Infra.Aggregation.Reports.Charts;

/// <summary>Small factories for SVG elements; XElement does the escaping, so text is never markup.</summary>
internal static class SvgElements
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public const string FontFamily = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

    public static XElement Root(double width, double height, string kind, string title, params object[] content) =>
        new(Ns + "svg",
            new XAttribute("width", F(width)),
            new XAttribute("height", F(height)),
            new XAttribute("viewBox", $"0 0 {F(width)} {F(height)}"),
            new XAttribute("class", "chart"),
            new XAttribute("data-chart", kind),
            new XAttribute("role", "img"),
            new XAttribute("aria-label", title),
            new XAttribute("font-family", FontFamily),
            new XElement(Ns + "rect", new XAttribute("x", 0), new XAttribute("y", 0), new XAttribute("width", F(width)), new XAttribute("height", F(height)), new XAttribute("fill", "#ffffff")),
            content);

    public static XElement Rect(double x, double y, double width, double height, string fill, params object[] extra) =>
        new(Ns + "rect",
            new XAttribute("x", F(x)), new XAttribute("y", F(y)),
            new XAttribute("width", F(Math.Max(0, width))), new XAttribute("height", F(Math.Max(0, height))),
            new XAttribute("fill", fill), extra);

    public static XElement Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, params object[] extra) =>
        new(Ns + "line",
            new XAttribute("x1", F(x1)), new XAttribute("y1", F(y1)), new XAttribute("x2", F(x2)), new XAttribute("y2", F(y2)),
            new XAttribute("stroke", stroke), new XAttribute("stroke-width", F(width)), extra);

    public static XElement Text(double x, double y, string text, double size = 11, string anchor = "start", string fill = "#333333", params object[] extra) =>
        new(Ns + "text",
            new XAttribute("x", F(x)), new XAttribute("y", F(y)),
            new XAttribute("font-size", F(size)), new XAttribute("text-anchor", anchor), new XAttribute("fill", fill),
            extra, text);

    public static XElement Title(string text) => new(Ns + "title", text);

    public static string F(double value) => ReportFormat.Coordinate(value);
}
