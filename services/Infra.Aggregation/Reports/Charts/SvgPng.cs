using SkiaSharp;
using Svg.Skia;
using Infra.Core.Errors;

namespace Infra.Aggregation.Reports.Charts;

/// <summary>Rasterises the report's SVG charts to PNG with Svg.Skia (the same SVG the HTML shows).</summary>
public static class SvgPng
{
    /// <summary>
    /// The PNG of <paramref name="svgDocument"/> at <paramref name="scale"/> times its size (default 2,
    /// for sharp text on high-density screens), on white.
    /// </summary>
    /// <exception cref="InvalidOperationException">The SVG could not be parsed or has no size.</exception>
    public static byte[] Render(string svgDocument, float scale = 2f)
    {
        ArgumentNullException.ThrowIfNull(svgDocument);
        using var svg = new SKSvg();
        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(svgDocument));
        var picture = svg.Load(input) ?? throw DomainException.FailedPrecondition("Svg.Skia could not load the chart's SVG");
        var bounds = picture.CullRect;
        if (bounds.Width <= 0 || bounds.Height <= 0)
            throw DomainException.FailedPrecondition($"the chart's SVG has no size ({bounds.Width} x {bounds.Height})");
        using var bitmap = new SKBitmap((int)Math.Ceiling(bounds.Width * scale), (int)Math.Ceiling(bounds.Height * scale));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            canvas.DrawPicture(picture);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
