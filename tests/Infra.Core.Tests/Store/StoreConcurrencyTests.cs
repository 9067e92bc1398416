using Infra.Core.Scoring;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>Several writers on one store, and readers on snapshots while they commit.</summary>
public sealed class StoreConcurrencyTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private GradientStore Open(int shardExamples = 7) =>
        GradientStore.OpenOrCreate(Path.Combine(_root, "store"), StoreFixtures.Schema(), new GradientStoreOptions { ShardExamples = shardExamples });

    [Fact]
    public async Task Concurrent_sessions_with_overlapping_ids_store_each_id_exactly_once()
    {
        using var store = Open();
        var examples = Enumerable.Range(0, 90).Select(i => StoreFixtures.Example($"e{i:D2}", i)).ToList();
        using var start = new Barrier(2);
        List<IngestOutcome> Write(IEnumerable<StoreExample> part)
        {
            using var session = store.BeginIngest();
            start.SignalAndWait();
            var outcomes = part.Select(session.Add).ToList();
            session.Flush();
            return outcomes;
        }
        // e30..e59 go to both writers, in opposite orders, so each wins some and skips some.
        var a = Task.Run(() => Write(examples.Take(60)));
        var b = Task.Run(() => Write(examples.Skip(30).Reverse()));
        var outcomes = (await a).Concat(await b).ToList();

        Assert.Equal(90, outcomes.Count(o => o == IngestOutcome.Stored));
        Assert.Equal(30, outcomes.Count(o => o == IngestOutcome.Skipped));
        Assert.Equal(90, store.Count);
        Assert.Equal(examples.Select(e => e.Id), store.Shards.SelectMany(s => s.Metadata.Ids).Order(StringComparer.Ordinal));
        Assert.Equal(store.Shards.Count, store.Shards.Select(s => s.Entry.Name).Distinct().Count());
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);
    }

    [Fact]
    public void An_id_in_flight_in_another_session_is_skipped_or_refused_and_is_free_again_when_that_session_gives_up()
    {
        using var store = Open();
        var x = StoreFixtures.Example("x", 1);
        var first = store.BeginIngest();
        Assert.Equal(IngestOutcome.Stored, first.Add(x));
        using (var second = store.BeginIngest())
        {
            Assert.Equal(IngestOutcome.Skipped, second.Add(x));
            var error = Assert.Throws<StoreException>(() => second.Add(x with { Domain = "code" }));
            Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        }
        first.Dispose(); // never committed: its claim goes
        Assert.False(store.Contains("x"));
        using var third = store.BeginIngest();
        Assert.Equal(IngestOutcome.Stored, third.Add(x with { Domain = "code" }));
        third.Flush();
        Assert.Equal("code", store.Locate("x")!.Value.Shard.Metadata.Domains[0]);
    }

    [Fact]
    public void A_snapshot_is_unaffected_by_commits_after_it()
    {
        using var store = Open(shardExamples: 4);
        using (var session = store.BeginIngest())
        {
            foreach (var i in Enumerable.Range(0, 4)) session.Add(StoreFixtures.Example($"old{i}", i));
        }
        var before = store.Snapshot;
        var query = new[] { (IReadOnlyList<float[]>)StoreFixtures.Example("q", 99).ExampleGradients };
        var scoredBefore = new ExampleScorer(before).Score(query, ["q"], 100, new ScoreFilter(null, null, null));

        using (var session = store.BeginIngest())
        {
            foreach (var i in Enumerable.Range(0, 5)) session.Add(StoreFixtures.Example($"new{i}", 10 + i));
            session.Flush();
        }

        Assert.Equal((4L, 1), (before.Count, before.Shards.Count));
        Assert.Null(before.Locate("new0"));
        Assert.False(before.Contains("new0"));
        Assert.Equal((9L, 3), (store.Snapshot.Count, store.Snapshot.Shards.Count));
        // Scoring the old snapshot again, after the commits, gives what it gave before them.
        var scoredAfter = new ExampleScorer(before).Score(query, ["q"], 100, new ScoreFilter(null, null, null));
        Assert.Equal(4, scoredAfter[0].Scored);
        Assert.Equal(scoredBefore[0].Top.Select(s => (s.Id, s.Score)), scoredAfter[0].Top.Select(s => (s.Id, s.Score)));
        Assert.Equal(9, new ExampleScorer(store.Snapshot).Score(query, ["q"], 100, new ScoreFilter(null, null, null))[0].Scored);
    }
}
