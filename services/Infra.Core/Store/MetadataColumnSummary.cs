using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>A metadata column of a store as roll-ups can group by it: its name, the kind of its first value, how many examples have a value, and how many distinct values (up to <see cref="DistinctCap"/>).</summary>
public sealed record MetadataColumnSummary(string Name, MetadataKind Kind, long Examples, int Distinct)
{
    /// <summary>Distinct values are counted up to 10,000: past that a column is no grouping anyone reads, and the count's memory stays bounded.</summary>
    public const int DistinctCap = 10_000;

    /// <summary>The metadata columns of <paramref name="store"/>'s examples, ordinal by name. The kind is the one seen first (in commit order).</summary>
    public static IReadOnlyList<MetadataColumnSummary> Of(IStoreView store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var columns = new SortedDictionary<string, (MetadataKind Kind, long Examples, HashSet<MetadataValue> Distinct)>(StringComparer.Ordinal);
        foreach (var shard in store.Shards)
        {
            foreach (var (name, values) in shard.Metadata.Columns)
            {
                foreach (var value in values)
                {
                    if (value is null) continue;
                    if (!columns.TryGetValue(name, out var column)) column = (value.Kind, 0, []);
                    if (column.Distinct.Count < DistinctCap) column.Distinct.Add(value);
                    columns[name] = column with { Examples = column.Examples + 1 };
                }
            }
        }
        return columns.Select(c => new MetadataColumnSummary(c.Key, c.Value.Kind, c.Value.Examples, c.Value.Distinct.Count)).ToList();
    }

    /// <summary>The names of <paramref name="store"/>'s metadata columns (any stored example has a value), ordinal.</summary>
    public static IReadOnlyList<string> Names(IStoreView store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Shards.SelectMany(s => s.Metadata.Columns.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
