using System.Globalization;

namespace Infra.Aggregation.Reports;

/// <summary>Number formats of the report: invariant culture, so the same model gives the same bytes everywhere.</summary>
public static class ReportFormat
{
    /// <summary>
    /// A score as people read it: four significant digits in plain notation ("23.5", "-0.01235", "1,235"), scientific only
    /// where the magnitude needs it (below 0.001 or from a million up: "1.235e-04", "-2.5e+07"); "0" for zero, "n/a"
    /// when not finite.
    /// </summary>
    public static string Score(double value)
    {
        if (!double.IsFinite(value)) return "n/a";
        if (value == 0) return "0";
        var magnitude = Math.Abs(value);
        if (magnitude < 1e-3 || magnitude >= 1e6) return value.ToString("0.###e+00", CultureInfo.InvariantCulture);
        var decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(magnitude)), 0, 6);
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded.ToString("#,0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    /// <summary>A share in [0, 1] as a percentage with one decimal, e.g. "42.5%".</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    /// <summary>A count with thousands separators, e.g. "12,345".</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A plain number for SVG coordinates: at most two decimals, '.' as separator.</summary>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
