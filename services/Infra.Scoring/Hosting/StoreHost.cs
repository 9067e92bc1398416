using Infra.Core.Preconditioning;
using Infra.Core.Scoring;
using Infra.Core.Store;
using Microsoft.Extensions.Options;
using Infra.Core.Errors;

namespace Infra.Scoring.Hosting;

/// <summary>
/// Owns the service's gradient store: opened at start-up when it exists, created by the first
/// ingest. Calls take turns through <see cref="AcquireAsync"/> (ingest and fit write; scoring reads
/// shards that must not change under it).
/// </summary>
public sealed class StoreHost : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GradientStore? _store;

    public StoreHost(IOptions<ScoringServiceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        if (File.Exists(Path.Combine(Options.StorePath, "manifest.json")))
            _store = GradientStore.Open(Options.StorePath, StoreOptions);
    }

    public ScoringServiceOptions Options { get; }

    private GradientStoreOptions StoreOptions => new() { ShardExamples = Options.ShardExamples, VerifyOnOpen = Options.VerifyOnOpen };

    /// <summary>Waits for exclusive use of the store.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_gate);
    }

    /// <summary>The store, if one exists yet.</summary>
    public GradientStore? Current => _store;

    /// <summary>The store; <see cref="KeyNotFoundException"/> (NotFound) before the first ingest.</summary>
    public GradientStore Required => _store ?? throw DomainException.NotFound($"the store {Options.StorePath} is empty: ingest gradients first");

    /// <summary>Opens or creates the store for <paramref name="schema"/> (refusing a mismatch).</summary>
    public GradientStore ForIngest(StoreSchema schema)
    {
        if (_store is null)
        {
            _store = GradientStore.OpenOrCreate(Options.StorePath, schema, StoreOptions);
            return _store;
        }
        if (_store.Schema.Mismatch(schema) is { } reason) throw new StoreException($"store {_store.Path} refuses this data: {reason}");
        return _store;
    }

    /// <summary>Preconditioned queries of a registered set (or a subset), with their norms for normalised scores.</summary>
    public PreparedQueries Prepare(string querySet, string preconditioner, IReadOnlyCollection<string> queryIds)
    {
        var store = Required;
        var set = QuerySetRepository.Load(store, querySet);
        var queries = queryIds.Count == 0 ? set.Queries : queryIds.Select(id =>
            set.Queries.FirstOrDefault(q => q.Id == id) ?? throw DomainException.NotFound($"query '{id}' is not in query set '{querySet}'")).ToList();
        if (string.IsNullOrEmpty(preconditioner))
            return new PreparedQueries(queries, queries.Select(q => q.Gradients).ToList(), null);
        var already = queries.FirstOrDefault(q => q.Preconditioned);
        if (already is not null)
            throw DomainException.InvalidArgument($"query '{already.Id}' arrived already preconditioned (full-space EK-FAC): score it without a projected preconditioner");
        var fitted = PreconditionerRepository.Load(store, preconditioner);
        var preconditioned = queries.Select(q => fitted.Precondition(q.Gradients)).ToList();
        var querySelf = queries.Select((q, i) => FittedPreconditioner.QuerySelfInfluence(q.Gradients, preconditioned[i])).ToArray();
        return new PreparedQueries(queries, preconditioned, (fitted.SelfInfluence, querySelf));
    }

    public void Dispose()
    {
        _store?.Dispose();
        _gate.Dispose();
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}

/// <summary>Queries ready for scoring: their preconditioned gradients and, with a preconditioner, the norms.</summary>
public sealed record PreparedQueries(IReadOnlyList<Query> Queries, IReadOnlyList<IReadOnlyList<float[]>> Preconditioned, (double[] Examples, double[] Queries)? Norms);
