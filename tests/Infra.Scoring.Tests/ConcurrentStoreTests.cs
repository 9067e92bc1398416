using Grpc.Core;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Store;

namespace Infra.Scoring.Tests;

/// <summary>
/// A real ScoringService over a real store on loopback, with several callers at once: concurrent ingests
/// store each id once, an idle ingest blocks no one, query sets can be listed and deleted.
/// </summary>
public sealed class ConcurrentStoreTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private readonly string _store = Path.Combine(fixture.Root, "store-" + Guid.NewGuid().ToString("N")[..8]);
    private LoopbackScoring _scoring = null!;

    private ScoringService.ScoringServiceClient Client => _scoring.Client;

    public async Task InitializeAsync() => _scoring = await LoopbackScoring.StartAsync(_store);

    public async Task DisposeAsync() => await _scoring.DisposeAsync();

    [Fact]
    public async Task Two_concurrent_ingest_streams_with_overlapping_ids_store_each_example_once()
    {
        // ex00..ex13 and ex06..ex19: eight ids in both streams, written alternately message by message.
        var first = await fixture.ComputeAsync(fixture.Corpus.Take(14));
        var second = await fixture.ComputeAsync(fixture.Corpus.Skip(6));
        using var a = Client.Ingest();
        using var b = Client.Ingest();
        await a.RequestStream.WriteAsync(new IngestRequest { Header = fixture.Header() });
        await b.RequestStream.WriteAsync(new IngestRequest { Header = fixture.Header() });
        for (var i = 0; i < Math.Max(first.Count, second.Count); i++)
        {
            if (i < first.Count) await a.RequestStream.WriteAsync(new IngestRequest { Gradient = first[i] });
            if (i < second.Count) await b.RequestStream.WriteAsync(new IngestRequest { Gradient = second[i] });
        }
        await a.RequestStream.CompleteAsync();
        await b.RequestStream.CompleteAsync();
        var (ra, rb) = (await a, await b);

        Assert.Equal((14ul, 14ul), (ra.Received, rb.Received));
        Assert.Equal(20ul, ra.Stored + rb.Stored);
        Assert.Equal(8ul, ra.Skipped + rb.Skipped);
        var info = await Client.StoreInfoAsync(new StoreInfoRequest());
        Assert.Equal(20ul, info.Examples);
        var missing = await Client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { fixture.Corpus.Select(e => e.Id) } });
        Assert.Empty(missing.Ids);

        await _scoring.DisposeAsync();
        // On disk: every id once (opening refuses an id in two shards), the shards the service reported.
        using (var reopened = GradientStore.Open(_store))
        {
            Assert.Equal(fixture.Corpus.Select(e => e.Id), reopened.Shards.SelectMany(s => s.Metadata.Ids).Order(StringComparer.Ordinal));
            Assert.Equal(info.Shards, (uint)reopened.Shards.Count);
        }
        _scoring = await LoopbackScoring.StartAsync(_store);
    }

    [Fact]
    public async Task An_idle_ingest_stream_does_not_delay_store_info_or_scoring()
    {
        await ScoringClient.IngestAsync(Client, fixture.Header(), fixture.GradientMessages);
        await ScoringClient.RegisterAsync(Client, "held-out", fixture.Queries, fixture.QueryChunks);
        using var idle = Client.Ingest();
        await idle.RequestStream.WriteAsync(new IngestRequest { Header = fixture.Header() });
        await idle.RequestStream.WriteAsync(new IngestRequest { Gradient = fixture.GradientMessages[0] });
        await Task.Delay(300); // the server has read the header and holds an ingest session

        var info = await Client.StoreInfoAsync(new StoreInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(20ul, info.Examples);
        using (var score = Client.Score(new ScoreRequest { QuerySet = "held-out", TopK = 3 }, deadline: DateTime.UtcNow.AddSeconds(10)))
        {
            var results = await score.ResponseStream.ReadAllAsync().ToListAsync();
            Assert.Equal(2, results.Count(r => r.Result is not null));
        }
        var fitted = await ScoringClient.FitAsync(Client, new FitRequest { Name = "diag", Kind = PreconditionerKind.Diagonal });
        Assert.Equal(20ul, fitted.Last().Summary.Examples);

        await idle.RequestStream.CompleteAsync();
        var response = await idle;
        Assert.Equal((0ul, 20ul), (response.Stored, response.StoreExamples));
    }

    [Fact]
    public async Task Query_sets_are_listed_and_deleted_and_store_info_reports_the_projection()
    {
        Assert.Empty((await Client.ListQuerySetsAsync(new ListQuerySetsRequest())).QuerySets);
        await ScoringClient.IngestAsync(Client, fixture.Header(), fixture.GradientMessages);
        await ScoringClient.RegisterAsync(Client, "b-set", fixture.Queries, fixture.QueryChunks);
        await ScoringClient.RegisterAsync(Client, "a-set", fixture.Queries.Take(1), fixture.QueryChunks);

        var listed = await Client.ListQuerySetsAsync(new ListQuerySetsRequest());
        Assert.Equal([("a-set", 1u, false), ("b-set", 2u, false)], listed.QuerySets.Select(s => (s.Name, s.Queries, s.HasRecipe)));
        var info = await Client.StoreInfoAsync(new StoreInfoRequest());
        Assert.Equal((PipelineFixture.Projection.KIn, PipelineFixture.Projection.KOut), (info.Schema.Projection.KIn, info.Schema.Projection.KOut));

        Assert.Equal("a-set", (await Client.DeleteQuerySetAsync(new DeleteQuerySetRequest { Name = "a-set" })).Name);
        Assert.Equal(["b-set"], (await Client.ListQuerySetsAsync(new ListQuerySetsRequest())).QuerySets.Select(s => s.Name));
        Assert.Equal(["b-set"], (await Client.StoreInfoAsync(new StoreInfoRequest())).QuerySets);
        var again = await Assert.ThrowsAsync<RpcException>(async () => await Client.DeleteQuerySetAsync(new DeleteQuerySetRequest { Name = "a-set" }));
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
        var gone = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.ScoreAsync(Client, new ScoreRequest { QuerySet = "a-set" }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.False(Directory.EnumerateFiles(Path.Combine(_store, "queries"), "a-set*").Any());
    }
}
