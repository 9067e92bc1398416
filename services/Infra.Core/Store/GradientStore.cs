using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Infra.Core.Checkpoints;
using Infra.Core.IO;

namespace Infra.Core.Store;

/// <summary>
/// A directory of per-example projected gradients (and optionally per-token factors): <c>manifest.json</c>,
/// <c>shards/shard-NNNNNN.safetensors</c> + <c>.metadata.arrow</c>, <c>preconditioners/</c>, <c>queries/</c>.
/// Append-only; a shard becomes visible only when the manifest naming it has been atomically replaced,
/// so a killed ingest loses at most the uncommitted examples, which a resumed ingest sends again.
/// Idempotent by example id: the same id with the same content is skipped, with other content refused.
/// <para>
/// Readers take an immutable <see cref="Snapshot"/> without waiting for anyone. Writers are
/// <see cref="IngestSession"/>s that run concurrently, each committing its own shards; only the manifest
/// commit (read the current manifest, add to it, replace it atomically, publish the next snapshot) is
/// serialised, and briefly. What the store reports changes only after a commit reached the disk: a failed
/// write removes its files, releases its ids and leaves the snapshot as it was.
/// One process at a time (a lock file).
/// </para>
/// </summary>
public sealed class GradientStore : IStoreView, IDisposable
{
    private const string ManifestFile = "manifest.json";
    private const string ShardFolder = "shards";
    private const string QueryFolder = "queries";
    private readonly FileStream _lock;
    private readonly Lock _commit = new();
    // Ids accepted by a session and not yet committed, with the session and content hash that claimed them.
    private readonly ConcurrentDictionary<string, IdClaim> _claims = new(StringComparer.Ordinal);
    private StoreSnapshot _snapshot;
    private int _nextShard;
    private IngestSession? _defaultSession;

    private GradientStore(string path, StoreSnapshot snapshot, GradientStoreOptions options, FileStream lockFile)
    {
        Path = path;
        _snapshot = snapshot;
        Options = options;
        _lock = lockFile;
        // Shard numbers are taken by concurrent sessions, so a failed one leaves a gap: never reuse a committed number.
        _nextShard = snapshot.Manifest.Shards.Select(s => ShardNumber(s.Name)).DefaultIfEmpty(-1).Max() + 1;
    }

    public string Path { get; }

    public GradientStoreOptions Options { get; }

    /// <summary>The latest commit, immutable: take it once per call to read one consistent state.</summary>
    public StoreSnapshot Snapshot => Volatile.Read(ref _snapshot);

    public StoreManifest Manifest => Snapshot.Manifest;

    public StoreSchema Schema => Snapshot.Schema;

    /// <summary>Committed shards (of the latest commit).</summary>
    public IReadOnlyList<ShardReader> Shards => Snapshot.Shards;

    /// <summary>Committed examples (of the latest commit).</summary>
    public long Count => Snapshot.Count;

    public IReadOnlyCollection<string> QuerySets => Snapshot.QuerySets;

    /// <summary>Examples accepted through <see cref="Add"/> but not yet committed.</summary>
    public int PendingCount => _defaultSession?.PendingCount ?? 0;

    /// <summary>Opens <paramref name="path"/> if it holds a store (refusing a different schema), else creates it.</summary>
    /// <exception cref="StoreException">Schema mismatch (both sides named; a different difficulty scheme is FailedPrecondition), a corrupt shard (named), or a store in use.</exception>
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
            if (store.Schema.DifficultyMismatch(schema) is { } difficulty)
            {
                store.Dispose();
                throw new StoreException(StoreErrorKind.FailedPrecondition, $"store {path} refuses this data: {difficulty}");
            }
            return store;
        }
        Directory.CreateDirectory(System.IO.Path.Combine(path, ShardFolder));
        var manifest = StoreManifest.For(schema);
        var created = new GradientStore(path, StoreSnapshot.Create(path, manifest, [], []), options ?? new(), AcquireLock(path));
        try
        {
            created.UpdateManifest(m => m);
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing store: removes uncommitted leftovers of a crashed writer, checks every shard.</summary>
    public static GradientStore Open(string path, GradientStoreOptions? options = null)
    {
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        if (!File.Exists(manifestPath)) throw new StoreException($"{path} is not a gradient store (no {ManifestFile})");
        // Older formats are read as today's; the next commit writes today's.
        var manifest = StoreManifestMigration.Read(manifestPath);
        var lockFile = AcquireLock(path);
        var shards = new List<ShardReader>();
        try
        {
            RemoveUncommitted(path, manifest);
            options ??= new();
            foreach (var entry in manifest.Shards)
                shards.Add(ShardReader.Open(System.IO.Path.Combine(path, ShardFolder), entry, manifest.Schema, options.VerifyOnOpen));
            return new GradientStore(path, StoreSnapshot.Create(path, manifest, shards, RegisteredQuerySets(path)), options, lockFile);
        }
        catch
        {
            foreach (var s in shards) s.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>A new writer; several may add and commit at once.</summary>
    public IngestSession BeginIngest() => new(this);

    /// <summary>Whether <paramref name="id"/> is committed or claimed by a session.</summary>
    public bool Contains(string id) => Snapshot.Contains(id) || _claims.ContainsKey(id);

    /// <summary>Where a committed example lives.</summary>
    public (ShardReader Shard, int Row)? Locate(string id) => Snapshot.Locate(id);

    /// <summary>Accepts an example into this store's own session (one writer's convenience); commits a shard when it is full.</summary>
    /// <exception cref="StoreException">Invalid against the schema, the same id with other content, or a failed commit.</exception>
    public IngestOutcome Add(StoreExample example)
    {
        _defaultSession ??= BeginIngest();
        return _defaultSession.Add(example);
    }

    /// <summary>Commits what <see cref="Add"/> accepted as a shard.</summary>
    public void Flush() => _defaultSession?.Flush();

    /// <summary>
    /// Replaces the manifest atomically with <paramref name="change"/> applied to the current one, under the
    /// commit lock (so <paramref name="change"/> sees every earlier commit and may refuse by throwing); the new
    /// manifest is published only once it is on disk.
    /// </summary>
    /// <exception cref="StoreException">Disk full (<see cref="StoreErrorKind.ResourceExhausted"/>), or what <paramref name="change"/> threw.</exception>
    public void UpdateManifest(Func<StoreManifest, StoreManifest> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            Commit(current =>
            {
                var next = change(current.Manifest);
                WriteManifest(next);
                return current.WithManifest(next);
            });
        }
        catch (IOException ex) when (StoreIo.Translate(ex, Path, ManifestFile) is { } translated)
        {
            throw translated;
        }
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
        foreach (var s in Snapshot.Shards) s.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="commit"/> under the commit lock on the current snapshot; it writes what it commits
    /// to disk and returns the next snapshot, which is published only if it returns.
    /// </summary>
    internal void Commit(Func<StoreSnapshot, StoreSnapshot> commit)
    {
        lock (_commit) Volatile.Write(ref _snapshot, commit(_snapshot));
    }

    /// <summary>Claims <paramref name="id"/> for <paramref name="session"/>: true when it is new, false when stored or in flight with this content.</summary>
    /// <exception cref="StoreException">Stored or in flight with other content.</exception>
    internal bool Claim(IngestSession session, string id, string hash)
    {
        if (Snapshot.HashOf(id) is { } stored) return SkipOrRefuse(id, stored, hash);
        var mine = new IdClaim(session, hash);
        var held = _claims.GetOrAdd(id, mine);
        if (!ReferenceEquals(held, mine)) return SkipOrRefuse(id, held.Hash, hash);
        // A commit publishes before it drops its claims, so an id committed between the check above and
        // GetOrAdd is visible now.
        if (Snapshot.HashOf(id) is { } committed)
        {
            _claims.TryRemove(KeyValuePair.Create(id, mine));
            return SkipOrRefuse(id, committed, hash);
        }
        return true;
    }

    /// <summary>Drops <paramref name="session"/>'s claims on <paramref name="ids"/> (committed, or given up).</summary>
    internal void Release(IngestSession session, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (_claims.TryGetValue(id, out var claim) && ReferenceEquals(claim.Session, session)) _claims.TryRemove(KeyValuePair.Create(id, claim));
        }
    }

    /// <summary>Writes <paramref name="examples"/> as a new shard and commits it; on failure removes its files and releases the ids.</summary>
    internal void CommitShard(IngestSession session, IReadOnlyList<StoreExample> examples, IReadOnlyList<string> hashes)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"shard-{Interlocked.Increment(ref _nextShard) - 1:D6}");
        var folder = System.IO.Path.Combine(Path, ShardFolder);
        var schema = Schema;
        ShardReader? reader = null;
        try
        {
            // The slow part, outside the lock: other sessions write their shards meanwhile.
            var entry = ShardWriter.Write(folder, name, schema, examples, hashes, Options.BeforeWrite);
            reader = ShardReader.Open(folder, entry, schema, verify: false);
            var opened = reader;
            Commit(current =>
            {
                var manifest = current.Manifest with { Shards = [.. current.Manifest.Shards, entry] };
                var next = current.WithShard(manifest, opened);
                WriteManifest(manifest);
                return next;
            });
        }
        catch (Exception ex)
        {
            reader?.Dispose();
            foreach (var file in ShardWriter.Files(name)) TryDelete(System.IO.Path.Combine(folder, file));
            Release(session, examples.Select(e => e.Id));
            if (StoreIo.Translate(ex, Path, $"shard {name} ({examples.Count} examples)") is { } translated) throw translated;
            throw;
        }
        Release(session, examples.Select(e => e.Id));
    }

    /// <summary>Deletes a file if it exists, ignoring failures (clean-up after a failure must not hide it).</summary>
    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // An id already stored or claimed: skipped (false) with the same content, refused with other content.
    private static bool SkipOrRefuse(string id, string stored, string hash)
    {
        if (stored != hash)
            throw new StoreException($"example '{id}' is already stored with different content (tokens, loss mask, domain, difficulty or metadata differ)");
        return false;
    }

    private void WriteManifest(StoreManifest manifest)
    {
        // AtomicFile also flushes the folder: the rename is durable only once the directory entry is.
        AtomicFile.WriteText(System.IO.Path.Combine(Path, ManifestFile), JsonSerializer.Serialize(manifest, StoreManifest.Json), Options.BeforeWrite);
    }

    // Files a crashed writer left behind: shards and preconditioner files not (yet) named by the manifest, and temp files.
    private static void RemoveUncommitted(string path, StoreManifest manifest)
    {
        var shardPath = System.IO.Path.Combine(path, ShardFolder);
        var committed = manifest.Shards.SelectMany(s => s.Files).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Directory.CreateDirectory(shardPath);
        foreach (var file in Directory.EnumerateFiles(shardPath))
        {
            if (!committed.Contains(System.IO.Path.GetFileName(file))) File.Delete(file);
        }
        var preconditioners = System.IO.Path.Combine(path, "preconditioners");
        var fitted = manifest.Preconditioners.Values.Select(p => p.File.Name).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(preconditioners))
        {
            foreach (var file in Directory.EnumerateFiles(preconditioners))
            {
                if (!fitted.Contains(System.IO.Path.GetFileName(file))) File.Delete(file);
            }
        }
        foreach (var temp in Directory.EnumerateFiles(path, "*.tmp-*", SearchOption.AllDirectories)) File.Delete(temp);
    }

    private static IEnumerable<string> RegisteredQuerySets(string path)
    {
        var folder = System.IO.Path.Combine(path, QueryFolder);
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)!) : [];
    }

    private static int ShardNumber(string name) =>
        name.StartsWith("shard-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

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

    private sealed record IdClaim(IngestSession Session, string Hash);
}
