using Infra.Core.Preconditioning;
using Infra.Core.Scoring;
using Infra.Core.Store;
using Microsoft.Extensions.Options;
using Infra.Core.Errors;

namespace Infra.Scoring.Hosting;

/// <summary>
/// Owns the service's gradient store: opened at start-up when it exists, created by the first ingest.
/// No call waits for another: readers take the store's current <see cref="StoreSnapshot"/>, ingests write
/// through their own <see cref="IngestSession"/>, and only commits are serialised (inside the store).
/// </summary>
public sealed class StoreHost : IDisposable
{
    private readonly Lock _create = new();
    private readonly StoreWriteHook? _beforeWrite;
    private volatile GradientStore? _store;

    /// <param name="options">The service's options.</param>
    /// <param name="beforeWrite">Told of every store write step (fault injection in tests: a <see cref="StoreWriteHook"/> registered
    /// as a service). Defaults to null (none).</param>
    public StoreHost(IOptions<ScoringServiceOptions> options, StoreWriteHook? beforeWrite = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        _beforeWrite = beforeWrite;
        if (File.Exists(Path.Combine(Options.StorePath, "manifest.json")))
            _store = GradientStore.Open(Options.StorePath, StoreOptions);
    }

    public ScoringServiceOptions Options { get; }

    private GradientStoreOptions StoreOptions => new() { ShardExamples = Options.ShardExamples, VerifyOnOpen = Options.VerifyOnOpen, BeforeWrite = _beforeWrite };

    /// <summary>The store, if one exists yet.</summary>
    public GradientStore? Current => _store;

    /// <summary>The store; <see cref="KeyNotFoundException"/> (NotFound) before the first ingest.</summary>
    public GradientStore Required => _store ?? throw DomainException.NotFound($"the store {Options.StorePath} is empty: ingest gradients first");

    /// <summary>The latest commit of the store, to read one consistent state for a whole call; NotFound before the first ingest.</summary>
    public StoreSnapshot Snapshot() => Required.Snapshot;

    /// <summary>
    /// Opens or creates the store for <paramref name="schema"/>, refusing a mismatch: another model, layers or projection
    /// (InvalidData), or another difficulty scheme (FailedPrecondition; no scheme matches only no scheme).
    /// </summary>
    public GradientStore ForIngest(StoreSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var store = _store;
        if (store is null)
        {
            // Two first ingests may race to create the store: one creates it, the other uses it.
            lock (_create) store = _store ??= GradientStore.OpenOrCreate(Options.StorePath, schema, StoreOptions);
        }
        if (store.Schema.Mismatch(schema) is { } reason) throw new StoreException($"store {store.Path} refuses this data: {reason}");
        // The saved scheme says what the stored levels mean: data whose levels mean something else may not join them.
        if (store.Schema.DifficultyMismatch(schema) is { } difficulty)
            throw new StoreException(StoreErrorKind.FailedPrecondition, $"store {store.Path} refuses this data: {difficulty}");
        return store;
    }

    /// <summary>Preconditioned queries of a registered set (or a subset) in <paramref name="snapshot"/>, with their norms for normalised scores.</summary>
    public static PreparedQueries Prepare(StoreSnapshot snapshot, string querySet, string preconditioner, IReadOnlyCollection<string> queryIds)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(queryIds);
        var set = QuerySetRepository.Load(snapshot, querySet);
        var queries = queryIds.Count == 0 ? set.Queries : queryIds.Select(id =>
            set.Queries.FirstOrDefault(q => q.Id == id) ?? throw DomainException.NotFound($"query '{id}' is not in query set '{querySet}'")).ToList();
        if (string.IsNullOrEmpty(preconditioner))
            return new PreparedQueries(queries, queries.Select(q => q.Gradients).ToList(), null);
        var already = queries.FirstOrDefault(q => q.Preconditioned);
        if (already is not null)
            throw DomainException.InvalidArgument($"query '{already.Id}' arrived already preconditioned (full-space EK-FAC): score it without a projected preconditioner");
        var fitted = PreconditionerRepository.Load(snapshot, preconditioner);
        var preconditioned = queries.Select(q => fitted.Precondition(q.Gradients)).ToList();
        var querySelf = queries.Select((q, i) => FittedPreconditioner.QuerySelfInfluence(q.Gradients, preconditioned[i])).ToArray();
        return new PreparedQueries(queries, preconditioned, (fitted.SelfInfluence, querySelf));
    }

    public void Dispose() => _store?.Dispose();
}

/// <summary>Queries ready for scoring: their preconditioned gradients and, with a preconditioner, the norms.</summary>
public sealed record PreparedQueries(IReadOnlyList<Query> Queries, IReadOnlyList<IReadOnlyList<float[]>> Preconditioned, (double[] Examples, double[] Queries)? Norms);
