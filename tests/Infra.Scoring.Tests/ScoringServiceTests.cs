using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Scoring;
using Infra.Scoring.Hosting;

namespace Infra.Scoring.Tests;

/// <summary>GradientService -> ScoringService over real loopback ports, against direct computations.</summary>
public sealed class ScoringServiceTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private LoopbackScoring _scoring = null!;
    private ScoringService.ScoringServiceClient _client = null!;
    private readonly string _store = Path.Combine(fixture.Root, "store-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        _scoring = await LoopbackScoring.StartAsync(_store);
        _client = _scoring.Client;
    }

    public async Task DisposeAsync() => await _scoring.DisposeAsync();

    private List<ReceivedExample> Received()
    {
        var assembler = new ExampleAssembler();
        return fixture.GradientMessages.Select(assembler.Accept).OfType<ReceivedExample>().ToList();
    }

    [Fact]
    public async Task Ingest_is_idempotent_and_reports_what_is_missing()
    {
        var first = await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        Assert.Equal((20ul, 20ul, 0ul, 20ul), (first.Received, first.Stored, first.Skipped, first.StoreExamples));
        var again = await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        Assert.Equal((20ul, 0ul, 20ul, 20ul), (again.Received, again.Stored, again.Skipped, again.StoreExamples));
        var missing = await _client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { "ex00", "new-1", "ex19", "new-2" } });
        Assert.Equal(["new-1", "new-2"], missing.Ids);
        var info = await _client.StoreInfoAsync(new StoreInfoRequest());
        Assert.True(info.Exists);
        Assert.Equal((20ul, 4u), (info.Examples, info.Shards));
        Assert.Equal(fixture.Info.Fingerprint, info.Schema.ModelFingerprint);
    }

    [Fact]
    public async Task Ekfac_scores_equal_the_direct_computation_and_tokens_sum_to_examples()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        var fit = await ScoringClient.FitAsync(_client, new FitRequest { Name = "ek", Kind = PreconditionerKind.Ekfac });
        Assert.Equal(20ul, fit[^1].Summary.Examples);
        // Progress streams in the order the fit reports it (each layer's covariances, then the end), the summary last.
        var progress = fit.Take(fit.Count - 1).Select(m => m.Progress).ToList();
        var layers = fixture.Info.Layers.Count;
        Assert.Equal(layers + 1, progress.Count);
        Assert.All(progress, p => Assert.Equal((uint)layers, p.LayerCount));
        Assert.All(progress, p => Assert.Equal(20ul, p.ExamplesTotal));
        Assert.Equal(progress.Select(p => p.ElapsedSeconds).Order(), progress.Select(p => p.ElapsedSeconds));
        for (var l = 0; l < layers; l++)
        {
            Assert.Equal(FitStage.Covariances, progress[l].Stage);
            Assert.Equal((uint)l, progress[l].LayerIndex);
            Assert.Equal(fixture.Info.Layers[l].Name, progress[l].LayerName);
            Assert.True(progress[l].Tokens > 0);
            Assert.Equal($"covariances of {progress[l].LayerName}: {progress[l].Tokens} tokens", progress[l].Message);
        }
        Assert.Equal(FitStage.Fitted, progress[^1].Stage);
        Assert.Equal(20ul, progress[^1].ExamplesDone);
        Assert.EndsWith("fitted on 20 examples", progress[^1].Message, StringComparison.Ordinal);
        await ScoringClient.RegisterAsync(_client, "held-out", fixture.Queries, fixture.QueryChunks);

        var responses = await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "held-out", Preconditioner = "ek", TopK = 20, IncludeAllScores = true });
        var results = responses.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Result).Select(r => r.Result).ToList();
        Assert.Equal(["qm", "qc"], results.Select(r => r.QueryId));
        Assert.Equal(["math", "code"], results.Select(r => r.Domain));

        var received = Received();
        var direct = DirectEkfacScores(received);
        var chunks = responses.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk).Select(r => r.Chunk).ToList();
        var all = chunks.SelectMany(c => c.ExampleIds.Select((id, row) => (id, qm: c.Raw[row * 2], qc: c.Raw[row * 2 + 1]))).ToDictionary(x => x.id);
        Assert.Equal(20, all.Count);
        var corpus = fixture.Corpus.ToDictionary(e => e.Id);
        foreach (var c in chunks)
        {
            Assert.Equal(c.ExampleIds.Select(id => corpus[id].Domain), c.Domains);
            Assert.Equal(c.ExampleIds.Select(id => corpus[id].Difficulty), c.Difficulties);
        }
        Assert.Equal(all.OrderByDescending(x => x.Value.qm).Select(x => x.Key), results[0].Top.Select(t => t.Id));
        foreach (var top in results[0].Top) Assert.Equal(all[top.Id].qm, top.Score, 1e-5 * Math.Max(1, Math.Abs(top.Score)));
        // Shard sizes differ (6 vs 1,024), so the fp32 covariance blocks differ: agreement to 1e-4 of the score scale.
        var scale = all.Values.Max(v => Math.Max(Math.Abs(v.qm), Math.Abs(v.qc)));
        foreach (var (id, (_, qm, qc)) in all)
        {
            Assert.Equal(direct[(id, "qm")], qm, 1e-4 * scale);
            Assert.Equal(direct[(id, "qc")], qc, 1e-4 * scale);
        }
        Assert.All(results[0].Top, t => Assert.InRange(t.Normalized, -1.0000001, 1.0000001));

        var tokens = await _client.ScoreTokens(new ScoreTokensRequest { QuerySet = "held-out", Preconditioner = "ek", ExampleIds = { "ex03", "ex10" } })
            .ResponseStream.ReadAllAsync().ToListAsync();
        foreach (var t in tokens)
        {
            Assert.Equal(received.Single(r => r.Header.Id == t.ExampleId).Header.TokenIds, t.TokenIds);
            Assert.Equal(t.TokenIds.Count * 2, t.Scores.Count);
            Assert.Equal(["math", "code"], t.QueryDomains);
            Assert.Equal(all[t.ExampleId].qm, t.ExampleScores[0], 1e-4 * Math.Max(1, Math.Abs(all[t.ExampleId].qm)));
            Assert.Equal(all[t.ExampleId].qc, t.ExampleScores[1], 1e-4 * Math.Max(1, Math.Abs(all[t.ExampleId].qc)));
            Assert.Equal(string.Concat(t.Tokens), t.Text);
        }
    }

    // The domain code on its own store of the same examples: what the service must reproduce.
    private Dictionary<(string, string), double> DirectEkfacScores(List<ReceivedExample> received)
    {
        var folder = Path.Combine(fixture.Root, "direct-" + Guid.NewGuid().ToString("N")[..8]);
        var schema = Mapping.IngestMapper.ToSchema(fixture.Header());
        using var store = Core.Store.GradientStore.OpenOrCreate(folder, schema);
        foreach (var r in received) store.Add(Mapping.IngestMapper.ToStoreExample(r, schema));
        store.Flush();
        var fitted = Core.Preconditioning.PreconditionerFitter.Fit(store, "ek", Core.Preconditioning.PreconditionerKind.Ekfac);
        var queries = new QueryGradientAssembler();
        foreach (var c in fixture.QueryChunks) queries.Accept(c);
        var result = new Dictionary<(string, string), double>();
        foreach (var q in new[] { "qm", "qc" })
        {
            var qt = fitted.Precondition(Enumerable.Range(0, schema.Layers.Count).Select(l => queries.Gradients[q][l]).ToList());
            foreach (var r in received)
                result[(r.Header.Id, q)] = InfluenceScore.Example(qt, Enumerable.Range(0, schema.Layers.Count).Select(l => r.Factors[(l, FactorKind.ExampleGradient)]).ToList());
        }
        return result;
    }

    [Fact]
    public async Task Identity_scores_are_plain_dot_products_and_the_live_stream_scores_the_same_without_storing()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages.Take(fixture.GradientMessages.Count / 2));
        await ScoringClient.RegisterAsync(_client, "q", fixture.Queries, fixture.QueryChunks);
        var queries = new QueryGradientAssembler();
        foreach (var c in fixture.QueryChunks) queries.Accept(c);
        var received = Received();

        using var call = _client.ScoreStream();
        var header = new ScoreStreamHeader { QuerySet = "q", ModelFingerprint = fixture.Info.Fingerprint, Projection = PipelineFixture.Projection };
        header.Layers.AddRange(fixture.Info.Layers);
        await call.RequestStream.WriteAsync(new ScoreStreamRequest { Header = header });
        foreach (var m in fixture.GradientMessages) await call.RequestStream.WriteAsync(new ScoreStreamRequest { Gradient = m });
        await call.RequestStream.CompleteAsync();
        var live = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(20, live.Count);
        foreach (var score in live)
        {
            var g = received.Single(r => r.Header.Id == score.ExampleId);
            var grads = Enumerable.Range(0, fixture.Info.Layers.Count).Select(l => g.Factors[(l, FactorKind.ExampleGradient)]).ToList();
            Assert.Equal(InfluenceScore.Example(Enumerable.Range(0, grads.Count).Select(l => queries.Gradients["qm"][l]).ToList(), grads), score.Scores[0], 6);
        }
        var info = await _client.StoreInfoAsync(new StoreInfoRequest());
        Assert.True(info.Examples < 20, "live scoring stores nothing");

        var stored = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q", TopK = 100 })).Select(r => r.Result).First(r => r.QueryId == "qm");
        foreach (var s in stored.Top) Assert.Equal(live.Single(l => l.ExampleId == s.Id).Scores[0], s.Score, 5);
        Assert.All(stored.Top, s => Assert.True(double.IsNaN(s.Normalized)));
    }

    [Fact]
    public async Task The_gradient_service_forwards_straight_into_the_store()
    {
        using var call = fixture.Gradients.ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions
            {
                Projection = PipelineFixture.Projection, IncludeExampleGradient = true, IncludeTokenFactors = true, BatchSize = 4,
                ForwardTo = _scoring.Address,
                ForwardStoreDtype = WireDtype.Float32,
            },
        });
        foreach (var e in fixture.Corpus) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
        await call.RequestStream.CompleteAsync();
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.All(replies, r => Assert.True(r.ItemCase is ComputeGradientsResponse.ItemOneofCase.Progress or ComputeGradientsResponse.ItemOneofCase.Forwarded));
        Assert.Equal((20ul, 0ul, 20ul), (replies[^1].Forwarded.Stored, replies[^1].Forwarded.Skipped, replies[^1].Forwarded.StoreExamples));

        // The forwarded store scores like one fed through the client.
        await ScoringClient.RegisterAsync(_client, "q", fixture.Queries, fixture.QueryChunks);
        var forwarded = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q", TopK = 20 })).Select(r => r.Result).First();
        var queries = new QueryGradientAssembler();
        foreach (var c in fixture.QueryChunks) queries.Accept(c);
        foreach (var s in forwarded.Top)
        {
            var g = Received().Single(r => r.Header.Id == s.Id);
            var grads = Enumerable.Range(0, fixture.Info.Layers.Count).Select(l => g.Factors[(l, FactorKind.ExampleGradient)]).ToList();
            var q = Enumerable.Range(0, grads.Count).Select(l => queries.Gradients["qm"][l]).ToList();
            Assert.Equal(InfluenceScore.Example(q, grads), s.Score, 5);
        }
    }

    [Fact]
    public async Task Filters_restrict_scores_to_domains_and_difficulties()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        await ScoringClient.RegisterAsync(_client, "q", fixture.Queries, fixture.QueryChunks);
        var result = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q", TopK = 100, Domains = { "code" }, MinDifficulty = 2, MaxDifficulty = 3, QueryIds = { "qc" } }))
            .Single().Result;
        var expected = fixture.Corpus.Where(e => e.Domain == "code" && e.Difficulty is 2 or 3).Select(e => e.Id).Order();
        Assert.Equal(expected, result.Top.Select(t => t.Id).Order());
        Assert.Equal((ulong)expected.Count(), result.Scored);
    }

    [Fact]
    public async Task An_absent_difficulty_bound_is_no_bound_and_zero_is_a_real_bound()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        await ScoringClient.RegisterAsync(_client, "q", fixture.Queries, fixture.QueryChunks);
        async Task<ulong> Scored(ScoreRequest request) => (await ScoringClient.ScoreAsync(_client, request)).First().Result.Scored;

        // The corpus's difficulties are 1..5.
        Assert.Equal(20ul, await Scored(new ScoreRequest { QuerySet = "q", QueryIds = { "qm" } }));
        Assert.Equal(0ul, await Scored(new ScoreRequest { QuerySet = "q", QueryIds = { "qm" }, MaxDifficulty = 0 }));
        Assert.Equal(20ul, await Scored(new ScoreRequest { QuerySet = "q", QueryIds = { "qm" }, MinDifficulty = 0 }));
        var upToTwo = (ulong)fixture.Corpus.Count(e => e.Difficulty <= 2);
        Assert.Equal(upToTwo, await Scored(new ScoreRequest { QuerySet = "q", QueryIds = { "qm" }, MaxDifficulty = 2 }));
    }

    [Fact]
    public async Task Bad_requests_get_precise_statuses()
    {
        var empty = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q" }));
        Assert.Equal(StatusCode.NotFound, empty.StatusCode);
        Assert.Contains("ingest gradients first", empty.Status.Detail, StringComparison.Ordinal);

        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages.Take(30));

        var otherDims = fixture.Header();
        otherDims.Layers[1] = new TrackedLayer(otherDims.Layers[1]) { KIn = 16 };
        var dims = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(_client, otherDims, []));
        Assert.Equal(StatusCode.InvalidArgument, dims.StatusCode);
        Assert.Contains("k_in 8", dims.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("k_in 16", dims.Status.Detail, StringComparison.Ordinal);

        var poisoned = fixture.GradientMessages.Select(m => m.Clone()).ToList();
        var chunk = poisoned.First(m => m.ItemCase == ComputeGradientsResponse.ItemOneofCase.Chunk && m.Chunk.Kind == FactorKind.ExampleGradient && m.Chunk.ExampleId == "ex19");
        var bytes = chunk.Chunk.Block.Data.ToByteArray();
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, 0);
        chunk.Chunk.Block.Data = Google.Protobuf.ByteString.CopyFrom(bytes);
        var nan = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(_client, fixture.Header(), poisoned));
        Assert.Equal(StatusCode.InvalidArgument, nan.StatusCode);
        Assert.Contains("example 'ex19'", nan.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("non-finite", nan.Status.Detail, StringComparison.Ordinal);

        var other = await fixture.ComputeAsync([new Example { Id = "ex00", Prompt = "A different prompt", Response = "and answer", Domain = "math", Difficulty = 1 }]);
        var conflict = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(_client, fixture.Header(), other));
        Assert.Equal(StatusCode.InvalidArgument, conflict.StatusCode);
        Assert.Contains("'ex00' is already stored with different content", conflict.Status.Detail, StringComparison.Ordinal);

        var unknownSet = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "nope" }));
        Assert.Equal(StatusCode.NotFound, unknownSet.StatusCode);
        await ScoringClient.RegisterAsync(_client, "q", fixture.Queries, fixture.QueryChunks);
        var unknownPreconditioner = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q", Preconditioner = "nope" }));
        Assert.Equal(StatusCode.NotFound, unknownPreconditioner.StatusCode);
        var unknownExample = await Assert.ThrowsAsync<RpcException>(() =>
            _client.ScoreTokens(new ScoreTokensRequest { QuerySet = "q", ExampleIds = { "who" } }).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        Assert.Equal(StatusCode.InvalidArgument, unknownExample.StatusCode);
        Assert.Contains("'who' is not in the store", unknownExample.Status.Detail, StringComparison.Ordinal);
        var normalisedWithout = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q", RankByNormalized = true }));
        Assert.Equal(StatusCode.InvalidArgument, normalisedWithout.StatusCode);
    }
}
