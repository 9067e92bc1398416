using Infra.Aggregation.Rollups;

namespace Infra.Aggregation.Reweighting;

/// <summary>The cells of a reweighting (group, subgroup) in the roll-ups' display order (<see cref="GroupValueOrder"/>).</summary>
internal static class WeightingCells
{
    /// <summary><paramref name="examples"/> grouped by (group, subgroup), groups and subgroups each in display order.</summary>
    public static List<IGrouping<(string Group, string Subgroup), T>> Of<T>(IEnumerable<T> examples, Func<T, WeightingExample> example)
    {
        var cells = examples.GroupBy(item => (example(item).Group, example(item).Subgroup)).ToList();
        var groups = GroupValueOrder.Sort(cells.Select(cell => cell.Key.Group)).Select((value, index) => (value, index)).ToDictionary(x => x.value, x => x.index, StringComparer.Ordinal);
        var subgroups = GroupValueOrder.Sort(cells.Select(cell => cell.Key.Subgroup)).Select((value, index) => (value, index)).ToDictionary(x => x.value, x => x.index, StringComparer.Ordinal);
        return cells.OrderBy(cell => groups[cell.Key.Group]).ThenBy(cell => subgroups[cell.Key.Subgroup]).ToList();
    }

    /// <summary>True when every example has a subgroup: a two-column grouping, whose groups standardise and budget apart.</summary>
    public static bool TwoColumns(IEnumerable<WeightingExample> examples) => examples.All(example => example.Subgroup.Length > 0);
}
