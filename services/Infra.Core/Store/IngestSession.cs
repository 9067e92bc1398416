namespace Infra.Core.Store;

/// <summary>
/// One writer's pending examples (an ingest stream, a GPU worker): sessions of one store add and commit
/// concurrently, each its own shards. An accepted id is claimed store-wide at once, so an id in flight in
/// another session is skipped (same content) or refused (other content), never stored twice. Claims of
/// examples that were not committed (a failed commit, a session disposed with pending examples) are
/// released, so a resumed ingest can send them again. Not thread-safe: one session per stream.
/// </summary>
public sealed class IngestSession : IDisposable
{
    private readonly GradientStore _store;
    private readonly List<StoreExample> _pending = [];
    private readonly List<string> _hashes = [];
    private long _pendingBytes;

    internal IngestSession(GradientStore store) => _store = store;

    /// <summary>Examples accepted by this session and not yet committed.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Accepts an example; commits a shard when the pending ones fill one (<see cref="GradientStoreOptions.ShardExamples"/> or <see cref="GradientStoreOptions.ShardBytes"/>).</summary>
    /// <exception cref="StoreException">Invalid against the schema, the same id with other content, or a failed commit (disk full: <see cref="StoreErrorKind.ResourceExhausted"/>).</exception>
    public IngestOutcome Add(StoreExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var hash = ContentHash.Of(example);
        if (!_store.Claim(this, example.Id, hash)) return IngestOutcome.Skipped;
        try
        {
            ExampleValidator.Validate(example, _store.Schema);
        }
        catch
        {
            _store.Release(this, [example.Id]);
            throw;
        }
        _pending.Add(example);
        _hashes.Add(hash);
        _pendingBytes += 4L * (example.ExampleGradients.Sum(g => (long)g.Length)
            + (example.TokenInputs?.Sum(g => (long)g.Length) ?? 0) + (example.TokenOutputGradients?.Sum(g => (long)g.Length) ?? 0));
        if (_pending.Count >= _store.Options.ShardExamples || _pendingBytes >= _store.Options.ShardBytes) Flush();
        return IngestOutcome.Stored;
    }

    /// <summary>Commits the pending examples as a shard. On failure nothing of them is stored or claimed any more.</summary>
    /// <exception cref="StoreException">Disk full (<see cref="StoreErrorKind.ResourceExhausted"/>).</exception>
    /// <exception cref="IOException">Another write failure.</exception>
    public void Flush()
    {
        if (_pending.Count == 0) return;
        try
        {
            _store.CommitShard(this, _pending, _hashes);
        }
        finally
        {
            // Committed, or failed with the claims released by CommitShard: either way these are no longer pending.
            _pending.Clear();
            _hashes.Clear();
            _pendingBytes = 0;
        }
    }

    /// <summary>Drops uncommitted examples and releases their claims (call <see cref="Flush"/> first to keep them).</summary>
    public void Dispose()
    {
        _store.Release(this, _pending.Select(e => e.Id));
        _pending.Clear();
        _hashes.Clear();
        _pendingBytes = 0;
    }
}
