using Infra.Aggregation.Reports;
using SkiaSharp;

namespace Infra.Aggregation.Tests.Reports;

public sealed class SvgPngTests
{
    [Fact]
    public void Every_chart_png_decodes_at_twice_the_svg_size_with_bars_in_the_colours_drawn()
    {
        var files = HtmlReportWriter.Write(SampleReport.Build(), RepositoryPaths.Artifacts("png"));
        Assert.NotEmpty(files.Charts);
        foreach (var chart in files.Charts)
        {
            using var bitmap = SKBitmap.Decode(chart.PngPath);
            Assert.NotNull(bitmap);
            var svg = System.Xml.Linq.XDocument.Load(chart.SvgPath).Root!;
            Assert.Equal(2 * int.Parse(svg.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture), bitmap.Width);
            Assert.Equal(2 * int.Parse(svg.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture), bitmap.Height);
            var nonWhite = 0;
            var colours = new HashSet<uint>();
            for (var y = 0; y < bitmap.Height; y += 2)
            {
                for (var x = 0; x < bitmap.Width; x += 2)
                {
                    var p = bitmap.GetPixel(x, y);
                    if (p.Red < 240 || p.Green < 240 || p.Blue < 240)
                        nonWhite++;
                    colours.Add((uint)p);
                }
            }
            Assert.True(nonWhite > 500, $"{chart.Name}: only {nonWhite} non-white pixels");
            Assert.True(colours.Count > 10, $"{chart.Name}: only {colours.Count} colours");
        }
    }

    [Fact]
    public void A_red_bar_comes_out_red_where_the_svg_puts_it()
    {
        const string svg = """<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50"><rect x="10" y="10" width="30" height="20" fill="#b2182b"/></svg>""";
        using var bitmap = SKBitmap.Decode(Infra.Aggregation.Reports.Charts.SvgPng.Render(svg, 1f));
        Assert.Equal((100, 50), (bitmap.Width, bitmap.Height));
        Assert.Equal(new SKColor(0xb2, 0x18, 0x2b), bitmap.GetPixel(25, 20));
        Assert.Equal(SKColors.White, bitmap.GetPixel(70, 40));
    }

    [Fact]
    public void Malformed_svg_is_refused()
    {
        Assert.ThrowsAny<Exception>(() => Infra.Aggregation.Reports.Charts.SvgPng.Render("<svg"));
    }
}
