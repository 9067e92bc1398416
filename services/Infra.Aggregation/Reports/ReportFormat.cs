using System.Globalization;

namespace Infra.Aggregation.Reports;

/// <summary>Number formats of the report: invariant culture, so the same model gives the same bytes everywhere.</summary>
public static class ReportFormat
{
    /// <summary>A score in scientific notation with a sign, e.g. "+1.235e-03"; "n/a" when not finite.</summary>
    public static string Score(double value) =>
        !double.IsFinite(value) ? "n/a"
        : value == 0 ? "0"
        : value.ToString("+0.000e+00;-0.000e+00", CultureInfo.InvariantCulture);

    /// <summary>A share in [0, 1] as a percentage with one decimal, e.g. "42.5%".</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    /// <summary>A count with thousands separators, e.g. "12,345".</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A plain number for SVG coordinates: at most two decimals, '.' as separator.</summary>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
