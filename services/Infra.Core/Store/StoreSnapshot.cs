using System.Collections.Immutable;

namespace Infra.Core.Store;

/// <summary>
/// One commit of a store, immutable: readers take it without waiting for writers, and a later commit
/// publishes a new snapshot instead of changing this one. The shard readers are shared between snapshots
/// (committed shards never change) and disposed with the store.
/// </summary>
public sealed class StoreSnapshot : IStoreView
{
    private readonly ImmutableDictionary<string, ExampleLocation> _index;
    private readonly ImmutableList<ShardReader> _shards;
    private readonly ImmutableSortedSet<string> _querySets;

    private StoreSnapshot(string path, StoreManifest manifest, ImmutableList<ShardReader> shards,
        ImmutableDictionary<string, ExampleLocation> index, ImmutableSortedSet<string> querySets)
    {
        Path = path;
        Manifest = manifest;
        Schema = manifest.Schema;
        _shards = shards;
        _index = index;
        _querySets = querySets;
    }

    public string Path { get; }

    public StoreManifest Manifest { get; }

    public StoreSchema Schema { get; }

    public IReadOnlyList<ShardReader> Shards => _shards;

    public long Count => _index.Count;

    public IReadOnlyCollection<string> QuerySets => _querySets;

    public bool Contains(string id) => _index.ContainsKey(id);

    public (ShardReader Shard, int Row)? Locate(string id) => _index.TryGetValue(id, out var at) ? (_shards[at.Shard], at.Row) : null;

    /// <summary>Tokens of every committed example.</summary>
    public long TokenCount => _shards.Sum(s => s.TokenCount);

    /// <summary>Every committed id, shard by shard in commit order, rows in order.</summary>
    public IEnumerable<string> Ids => _shards.SelectMany(s => s.Metadata.Ids);

    /// <summary>The ids of <paramref name="ids"/> that are not committed, in their order (repeats kept).</summary>
    public IEnumerable<string> Missing(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Where(id => !Contains(id));
    }

    /// <summary>
    /// The metadata and tokens of <paramref name="ids"/> (all committed), in their order, read <paramref name="window"/>
    /// at a time: within a window each shard's metadata file is read once for all its rows, so memory stays bounded.
    /// </summary>
    /// <exception cref="KeyNotFoundException">An id is not committed (check with <see cref="Missing"/> first).</exception>
    public IEnumerable<StoredExampleText> ReadExamples(IReadOnlyList<string> ids, int window = 256)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        foreach (var chunk in ids.Chunk(window))
        {
            var located = chunk.Select(id => Locate(id) ?? throw new KeyNotFoundException($"example '{id}' is not in the store")).ToList();
            var details = located.GroupBy(l => l.Shard).ToDictionary(g => g.Key, g => g.Key.ReadTokens(g.Select(l => l.Row).ToList()));
            for (var i = 0; i < chunk.Length; i++)
            {
                var (shard, row) = located[i];
                yield return new StoredExampleText(chunk[i], shard.Metadata.Domains[row], shard.Metadata.Difficulties[row], details[shard][row])
                {
                    Metadata = shard.Metadata.MetadataOf(row),
                };
            }
        }
    }

    /// <summary>The content hash a committed example was stored with; null when it is not stored.</summary>
    internal string? HashOf(string id) => _index.TryGetValue(id, out var at) ? at.Hash : null;

    /// <summary>A store's first snapshot, indexing <paramref name="shards"/>.</summary>
    /// <exception cref="StoreException">An id appears in two shards.</exception>
    internal static StoreSnapshot Create(string path, StoreManifest manifest, IEnumerable<ShardReader> shards, IEnumerable<string> querySets)
    {
        var list = shards.ToImmutableList();
        var index = ImmutableDictionary.CreateBuilder<string, ExampleLocation>(StringComparer.Ordinal);
        for (var s = 0; s < list.Count; s++) AddRows(index, list[s], s);
        return new StoreSnapshot(path, manifest, list, index.ToImmutable(), querySets.ToImmutableSortedSet(StringComparer.Ordinal));
    }

    /// <summary>This snapshot with one more committed shard.</summary>
    /// <exception cref="StoreException">One of its ids is already stored.</exception>
    internal StoreSnapshot WithShard(StoreManifest manifest, ShardReader shard)
    {
        var index = _index.ToBuilder();
        AddRows(index, shard, _shards.Count);
        return new StoreSnapshot(Path, manifest, _shards.Add(shard), index.ToImmutable(), _querySets);
    }

    /// <summary>This snapshot with another manifest (preconditioners changed; shards are the same).</summary>
    internal StoreSnapshot WithManifest(StoreManifest manifest) => new(Path, manifest, _shards, _index, _querySets);

    /// <summary>This snapshot with query set <paramref name="name"/> registered (true) or removed (false).</summary>
    internal StoreSnapshot WithQuerySet(string name, bool registered) =>
        new(Path, Manifest, _shards, _index, registered ? _querySets.Add(name) : _querySets.Remove(name));

    private static void AddRows(ImmutableDictionary<string, ExampleLocation>.Builder index, ShardReader shard, int shardIndex)
    {
        for (var row = 0; row < shard.Count; row++)
        {
            var id = shard.Metadata.Ids[row];
            if (!index.TryAdd(id, new ExampleLocation(shardIndex, row, shard.Metadata.ContentHashes[row])))
                throw new StoreException($"example '{id}' appears twice (shard {shard.Entry.Name} and an earlier one)");
        }
    }

    private readonly record struct ExampleLocation(int Shard, int Row, string Hash);
}
