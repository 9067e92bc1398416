using System.Text.Json;
using Infra.Core.Checkpoints;

namespace Infra.Core.Store;

/// <summary>
/// A directory of per-example projected gradients (and optionally per-token factors): <c>manifest.json</c>,
/// <c>shards/shard-NNNNNN.safetensors</c> + <c>.metadata.arrow</c>, <c>preconditioners/</c>, <c>queries/</c>.
/// Append-only; a shard becomes visible only when the manifest naming it has been atomically replaced,
/// so a killed ingest loses at most the uncommitted examples, which a resumed ingest sends again.
/// Idempotent by example id: the same id with the same content is skipped, with other content refused.
/// One writer at a time (a lock file); readers map shards into memory.
/// </summary>
public sealed class GradientStore : IDisposable
{
    private const string ManifestFile = "manifest.json";
    private const string ShardFolder = "shards";
    private readonly FileStream _lock;
    private readonly List<ShardReader> _shards = [];
    private readonly Dictionary<string, (int Shard, int Row, string Hash)> _index = new(StringComparer.Ordinal);
    private readonly List<StoreExample> _pending = [];
    private readonly List<string> _pendingHashes = [];
    private readonly Dictionary<string, string> _pendingIndex = new(StringComparer.Ordinal);
    private long _pendingBytes;

    private GradientStore(string path, StoreManifest manifest, GradientStoreOptions options, FileStream lockFile)
    {
        Path = path;
        Manifest = manifest;
        Options = options;
        _lock = lockFile;
    }

    public string Path { get; }
    public StoreManifest Manifest { get; private set; }
    public StoreSchema Schema => Manifest.Schema;
    public GradientStoreOptions Options { get; }

    /// <summary>Committed shards.</summary>
    public IReadOnlyList<ShardReader> Shards => _shards;

    /// <summary>Committed examples.</summary>
    public long Count => _index.Count;

    /// <summary>Examples accepted but not yet committed.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Opens <paramref name="path"/> if it holds a store (refusing a different schema), else creates it.</summary>
    /// <exception cref="StoreException">Schema mismatch (both sides named), a corrupt shard (named), or a store in use.</exception>
    public static GradientStore OpenOrCreate(string path, StoreSchema schema, GradientStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (File.Exists(System.IO.Path.Combine(path, ManifestFile)))
        {
            var store = Open(path, options);
            if (store.Schema.Mismatch(schema) is { } reason)
            {
                store.Dispose();
                throw new StoreException($"store {path} refuses this data: {reason}");
            }
            return store;
        }
        Directory.CreateDirectory(System.IO.Path.Combine(path, ShardFolder));
        var created = new GradientStore(path, StoreManifest.For(schema), options ?? new(), AcquireLock(path));
        created.WriteManifest(created.Manifest);
        return created;
    }

    /// <summary>Opens an existing store: removes uncommitted leftovers of a crashed writer, checks every shard.</summary>
    public static GradientStore Open(string path, GradientStoreOptions? options = null)
    {
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        if (!File.Exists(manifestPath)) throw new StoreException($"{path} is not a gradient store (no {ManifestFile})");
        StoreManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<StoreManifest>(File.ReadAllText(manifestPath), StoreManifest.Json)
                ?? throw new StoreException($"{manifestPath} is empty");
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{manifestPath} is not a valid store manifest: {ex.Message}", ex);
        }
        if (manifest.FormatVersion != StoreManifest.CurrentVersion)
            throw new StoreException($"{manifestPath}: format version {manifest.FormatVersion}, this build reads {StoreManifest.CurrentVersion}");
        var store = new GradientStore(path, manifest, options ?? new(), AcquireLock(path));
        try
        {
            store.RemoveUncommitted();
            foreach (var entry in manifest.Shards)
                store.AddShard(ShardReader.Open(store.ShardPath, entry, manifest.Schema, store.Options.VerifyOnOpen));
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="id"/> is stored (committed or pending).</summary>
    public bool Contains(string id) => _index.ContainsKey(id) || _pendingIndex.ContainsKey(id);

    /// <summary>Where a committed example lives.</summary>
    public (ShardReader Shard, int Row)? Locate(string id) => _index.TryGetValue(id, out var at) ? (_shards[at.Shard], at.Row) : null;

    /// <summary>Accepts an example; commits a shard when it is full.</summary>
    /// <exception cref="StoreException">Invalid against the schema, or the same id with other content.</exception>
    public IngestOutcome Add(StoreExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var hash = ContentHash.Of(example);
        var existing = _index.TryGetValue(example.Id, out var at) ? at.Hash : _pendingIndex.GetValueOrDefault(example.Id);
        if (existing is not null)
        {
            return existing == hash
                ? IngestOutcome.Skipped
                : throw new StoreException($"example '{example.Id}' is already stored with different content (tokens, loss mask, domain or difficulty differ)");
        }
        ExampleValidator.Validate(example, Schema);
        _pending.Add(example);
        _pendingHashes.Add(hash);
        _pendingIndex[example.Id] = hash;
        _pendingBytes += 4L * (example.ExampleGradients.Sum(g => (long)g.Length)
            + (example.TokenInputs?.Sum(g => (long)g.Length) ?? 0) + (example.TokenOutputGradients?.Sum(g => (long)g.Length) ?? 0));
        if (_pending.Count >= Options.ShardExamples || _pendingBytes >= Options.ShardBytes) Flush();
        return IngestOutcome.Stored;
    }

    /// <summary>Commits pending examples as a shard: write its files, then atomically replace the manifest.</summary>
    public void Flush()
    {
        if (_pending.Count == 0) return;
        var name = $"shard-{Manifest.Shards.Count:D6}";
        var entry = ShardWriter.Write(ShardPath, name, Schema, _pending, _pendingHashes);
        UpdateManifest(m => m with { Shards = [.. m.Shards, entry] });
        AddShard(ShardReader.Open(ShardPath, entry, Schema, verify: false));
        _pending.Clear();
        _pendingHashes.Clear();
        _pendingIndex.Clear();
        _pendingBytes = 0;
    }

    /// <summary>Replaces the manifest atomically with <paramref name="change"/> applied (preconditioners use this too).</summary>
    public void UpdateManifest(Func<StoreManifest, StoreManifest> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var next = change(Manifest);
        WriteManifest(next);
        Manifest = next;
    }

    /// <summary>A folder inside the store for a component's files (e.g. "preconditioners").</summary>
    public string Folder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var s in _shards) s.Dispose();
        _lock.Dispose();
    }

    private string ShardPath => System.IO.Path.Combine(Path, ShardFolder);

    private void AddShard(ShardReader shard)
    {
        var index = _shards.Count;
        _shards.Add(shard);
        for (var row = 0; row < shard.Count; row++)
        {
            var id = shard.Metadata.Ids[row];
            if (!_index.TryAdd(id, (index, row, shard.Metadata.ContentHashes[row])))
                throw new StoreException($"example '{id}' appears twice (shard {shard.Entry.Name} and an earlier one)");
        }
    }

    private void WriteManifest(StoreManifest manifest)
    {
        AtomicFile.WriteText(System.IO.Path.Combine(Path, ManifestFile), JsonSerializer.Serialize(manifest, StoreManifest.Json));
        // The rename is durable only once the directory entry is: fsync the folder too.
        SyncDirectory(Path);
    }

    // Files a crashed writer left behind: shards not (yet) named by the manifest, and temp files.
    private void RemoveUncommitted()
    {
        var committed = Manifest.Shards.SelectMany(s => s.Files).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Directory.CreateDirectory(ShardPath);
        foreach (var file in Directory.EnumerateFiles(ShardPath))
        {
            if (!committed.Contains(System.IO.Path.GetFileName(file))) File.Delete(file);
        }
        foreach (var temp in Directory.EnumerateFiles(Path, "*.tmp-*")) File.Delete(temp);
    }

    private static FileStream AcquireLock(string path)
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(path, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StoreException(StoreErrorKind.FailedPrecondition, $"store {path} is in use by another process", ex);
        }
    }

    private static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(handle);
        }
        catch (UnauthorizedAccessException)
        {
            // Some file systems refuse opening directories; the rename itself is still atomic there.
        }
        catch (IOException)
        {
        }
    }
}
