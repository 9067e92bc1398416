namespace Infra.Core.Store;

/// <summary>
/// What readers of a store see: the manifest, the committed shards, the example index and the registered
/// query sets. A <see cref="StoreSnapshot"/> is one fixed commit; a <see cref="GradientStore"/> answers from
/// whichever commit is current at each call, so a reader that must see one state throughout takes
/// <see cref="GradientStore.Snapshot"/> once.
/// </summary>
public interface IStoreView
{
    /// <summary>The store's folder.</summary>
    string Path { get; }

    /// <summary>The committed manifest.</summary>
    StoreManifest Manifest { get; }

    /// <summary>The schema part of the manifest.</summary>
    StoreSchema Schema { get; }

    /// <summary>Committed shards, in commit order.</summary>
    IReadOnlyList<ShardReader> Shards { get; }

    /// <summary>Committed examples.</summary>
    long Count { get; }

    /// <summary>Names of the registered query sets, in ordinal order.</summary>
    IReadOnlyCollection<string> QuerySets { get; }

    /// <summary>Whether <paramref name="id"/> is stored.</summary>
    bool Contains(string id);

    /// <summary>Where a committed example lives; null when it is not stored.</summary>
    (ShardReader Shard, int Row)? Locate(string id);
}
