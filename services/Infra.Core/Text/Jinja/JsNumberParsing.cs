using System.Globalization;
using System.Text.RegularExpressions;

namespace Infra.Core.Text.Jinja;

/// <summary>JavaScript's <c>parseInt(s, 10)</c> and <c>parseFloat(s)</c>, which the reference's <c>int</c> and <c>float</c> filters use: the longest numeric prefix after leading whitespace, NaN when there is none.</summary>
internal static partial class JsNumberParsing
{
    public static double ParseInt(string s)
    {
        var m = IntPrefix().Match(JsText.TrimStart(s));
        return m.Success ? double.Parse(m.Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    public static double ParseFloat(string s)
    {
        var t = JsText.TrimStart(s);
        var inf = InfinityPrefix().Match(t);
        if (inf.Success) return inf.Value.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        var m = FloatPrefix().Match(t);
        return m.Success ? double.Parse(m.Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    [GeneratedRegex("^[+-]?[0-9]+")]
    private static partial Regex IntPrefix();

    [GeneratedRegex("^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")]
    private static partial Regex FloatPrefix();

    [GeneratedRegex("^[+-]?Infinity")]
    private static partial Regex InfinityPrefix();
}
