using System.Globalization;

namespace Infra.Aggregation.Reports;

/// <summary>
/// The report's diverging colour scale: blue for negative, white at 0, red for positive, symmetric
/// around 0 (a score and its negation are equally intense). Anchors are ColorBrewer's RdBu:
/// white, then #f4a582 / #92c5de at half scale, then #b2182b / #2166ac at full scale; each channel
/// moves one way only, so the scale is monotone.
/// </summary>
public static class DivergingColorScale
{
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);
    private static readonly (byte R, byte G, byte B) LightRed = (0xf4, 0xa5, 0x82);
    private static readonly (byte R, byte G, byte B) DarkRed = (0xb2, 0x18, 0x2b);
    private static readonly (byte R, byte G, byte B) LightBlue = (0x92, 0xc5, 0xde);
    private static readonly (byte R, byte G, byte B) DarkBlue = (0x21, 0x66, 0xac);

    /// <summary>
    /// <paramref name="value"/> as a signed intensity in [-1, 1]: value / maxAbs, clamped. 0 when
    /// <paramref name="maxAbs"/> is 0 or either is not finite.
    /// </summary>
    public static double Intensity(double value, double maxAbs)
    {
        if (!(maxAbs > 0) || !double.IsFinite(maxAbs) || !double.IsFinite(value))
            return 0;
        return Math.Clamp(value / maxAbs, -1, 1);
    }

    /// <summary>The colour of <paramref name="value"/> on a scale from -maxAbs to +maxAbs.</summary>
    public static (byte R, byte G, byte B) Color(double value, double maxAbs)
    {
        var t = Intensity(value, maxAbs);
        var magnitude = Math.Abs(t);
        var (light, dark) = t >= 0 ? (LightRed, DarkRed) : (LightBlue, DarkBlue);
        return magnitude <= 0.5
            ? Lerp(White, light, magnitude / 0.5)
            : Lerp(light, dark, (magnitude - 0.5) / 0.5);
    }

    /// <summary>The colour of <paramref name="value"/> as "#rrggbb".</summary>
    public static string Hex(double value, double maxAbs)
    {
        var (r, g, b) = Color(value, maxAbs);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    /// <summary>True when text on <paramref name="value"/>'s colour should be white rather than dark.</summary>
    public static bool NeedsLightText(double value, double maxAbs) => Math.Abs(Intensity(value, maxAbs)) > 0.65;

    private static (byte R, byte G, byte B) Lerp((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double t) =>
        (Channel(a.R, b.R, t), Channel(a.G, b.G, t), Channel(a.B, b.B, t));

    private static byte Channel(byte a, byte b, double t) => (byte)Math.Round(a + ((b - a) * t), MidpointRounding.AwayFromZero);
}
