using System.Globalization;
using Infra.Core.Metadata;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// The display order of one grouping column's values: numbers ascending when every value of the column
/// is a number, else ordinal; "unlabelled" and "(none)" always last (in that order), so the examples
/// without a label close their group's row instead of hiding among the levels.
/// </summary>
public static class GroupValueOrder
{
    /// <summary><paramref name="values"/> (any repeats) distinct and in display order.</summary>
    public static IReadOnlyList<string> Sort(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        var labelled = distinct.Where(v => !IsMissing(v)).ToList();
        var numeric = labelled.Count > 0 && labelled.All(v => TryNumber(v, out _));
        var ordered = numeric
            ? labelled.OrderBy(v => Number(v)).ThenBy(v => v, StringComparer.Ordinal)
            : labelled.OrderBy(v => v, StringComparer.Ordinal);
        return [.. ordered, .. new[] { DifficultyScheme.UnlabelledName, Grouping.NoValue }.Where(distinct.Contains)];
    }

    /// <summary>True for the values that mean "no label": "unlabelled" and "(none)".</summary>
    public static bool IsMissing(string value) => value is DifficultyScheme.UnlabelledName or Grouping.NoValue;

    private static double Number(string value) => TryNumber(value, out var number) ? number : double.NaN;

    private static bool TryNumber(string value, out double number) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
}
