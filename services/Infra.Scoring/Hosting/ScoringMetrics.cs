using System.Diagnostics.Metrics;
using Infra.Core.Store;
using Infra.ServiceDefaults;

namespace Infra.Scoring.Hosting;

/// <summary>
/// The ScoringService's meter, "Infra.Scoring": the store's size as gauges
/// (<c>infra.scoring.store.examples</c>, <c>infra.scoring.store.bytes</c>: the shard files) and a counter of
/// scored examples (<c>infra.scoring.examples_scored</c>, one per example and query of each Score call).
/// </summary>
public sealed class ScoringMetrics
{
    private readonly Counter<long> _scored;
    private long _examples;
    private long _bytes;

    public ScoringMetrics(IMeterFactory meterFactory, StoreHost host)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(host);
        var meter = meterFactory.Create(InfraMeterNames.Scoring);
        // The gauges read a snapshot taken under the store's lock (ingest swaps shard lists while scoring runs).
        meter.CreateObservableGauge("infra.scoring.store.examples", () => Interlocked.Read(ref _examples), "{example}", "Examples in the gradient store");
        meter.CreateObservableGauge("infra.scoring.store.bytes", () => Interlocked.Read(ref _bytes), "By", "Bytes of the store's shard files");
        _scored = meter.CreateCounter<long>("infra.scoring.examples_scored", "{example}", "Store examples scored, once per query");
        if (host.Current is { } store) ObserveStore(store);
    }

    /// <summary>Takes the store's size from a commit (after ingest's flush).</summary>
    public void ObserveStore(IStoreView store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Interlocked.Exchange(ref _examples, store.Count);
        Interlocked.Exchange(ref _bytes, store.Shards.Sum(s => s.Entry.Files.Sum(f => f.Bytes)));
    }

    /// <summary>Counts <paramref name="examples"/> example-query scores of one Score call.</summary>
    public void Scored(long examples) => _scored.Add(examples);
}
