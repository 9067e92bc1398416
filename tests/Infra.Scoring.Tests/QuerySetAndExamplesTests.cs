using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Scoring.Hosting;

namespace Infra.Scoring.Tests;

/// <summary>Query sets with their recipes (GetQuerySet), stored examples' metadata (GetExamples), and the fidelity labels on scores.</summary>
public sealed class QuerySetAndExamplesTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
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

    private static async Task RegisterAsync(ScoringService.ScoringServiceClient client, QuerySetHeader header, IEnumerable<ComputeQueryGradientsResponse> chunks)
    {
        using var call = client.RegisterQueries();
        await call.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = header });
        foreach (var c in chunks) await call.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = c });
        await call.RequestStream.CompleteAsync();
        await call;
    }

    private QuerySetHeader Header(string name, QueryRecipe? recipe)
    {
        var header = new QuerySetHeader { Name = name, Recipe = recipe };
        header.Queries.AddRange(fixture.Queries.Select(q => new QueryInfo { Id = q.Id, Domain = q.Domain }));
        return header;
    }

    // Every field set to a non-default value; one query given as text (with a system turn), one pre-tokenised.
    private QueryRecipe FullRecipe()
    {
        var recipe = new QueryRecipe { FactorsName = "ekfac-full", Damping = 0.25, Reduction = MeasurementReduction.Sum, ChatFormat = ChatFormat.Plain, Truncate = true };
        recipe.Queries.Add(new Example(fixture.Queries[0]) { System = "You are a careful mathematician.", Difficulty = 3 });
        var tokenised = new Example(fixture.Queries[1]) { Difficulty = 4, Tokens = new TokenizedText() };
        tokenised.Tokens.TokenIds.AddRange([72, 105, 32, 49, 53, 10]);
        tokenised.Tokens.LossMask.AddRange([0, 0, 0, 1, 1, 1]);
        recipe.Queries.Add(tokenised);
        return recipe;
    }

    private static async Task<List<T>> ReadAllAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call) return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    [Fact]
    public async Task A_recipe_round_trips_through_RegisterQueries_and_GetQuerySet_and_re_registering_replaces_it()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        var header = Header("held-out", FullRecipe());
        await RegisterAsync(_client, header, fixture.QueryChunks);

        var set = await _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "held-out" });
        Assert.Equal(header, set.Header);
        Assert.Equal([6], set.Header.Recipe.Queries.Where(q => q.Tokens is not null).Select(q => q.Tokens.TokenIds.Count));
        var assembler = new QueryGradientAssembler();
        foreach (var c in fixture.QueryChunks) assembler.Accept(c);
        Assert.Equal(fixture.Queries.Select(q => assembler.Measurements[q.Id]), set.Measurements);
        Assert.False(set.Preconditioned);

        await RegisterAsync(_client, Header("held-out", recipe: null), fixture.QueryChunks);
        var replaced = await _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "held-out" });
        Assert.Null(replaced.Header.Recipe);
        Assert.Equal(["qm", "qc"], replaced.Header.Queries.Select(q => q.Id));
    }

    [Fact]
    public async Task A_query_set_in_the_old_list_format_still_opens_and_scores()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        await RegisterAsync(_client, Header("old", FullRecipe()), fixture.QueryChunks);
        var before = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "old", TopK = 5 })).Select(r => r.Result).ToList();
        // Format 1, as the previous build wrote it: a bare list, PascalCase keys, no recipe, tensors at <name>.safetensors.
        var queries = Path.Combine(_store, "queries");
        File.Move(Directory.GetFiles(queries, "old.*.safetensors").Single(), Path.Combine(queries, "old.safetensors"));
        await File.WriteAllTextAsync(Path.Combine(_store, "queries", "old.json"),
            """[{"Id":"qm","Domain":"math","Measurement":-1.5,"Preconditioned":false},{"Id":"qc","Domain":"code","Measurement":-2.25,"Preconditioned":false}]""");

        var set = await _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "old" });
        Assert.Equal(Header("old", recipe: null), set.Header);
        Assert.Equal([-1.5f, -2.25f], set.Measurements);
        var after = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "old", TopK = 5 })).Select(r => r.Result).ToList();
        Assert.Equal(before.Select(r => r.Top.Select(t => (t.Id, t.Score)).ToList()), after.Select(r => r.Top.Select(t => (t.Id, t.Score)).ToList()));
        Assert.Equal([-1.5f, -2.25f], after.Select(r => r.Measurement));
        var info = await _client.StoreInfoAsync(new StoreInfoRequest());
        Assert.Equal(["old"], info.QuerySets);
    }

    [Fact]
    public async Task A_recipe_whose_ids_differ_from_the_set_is_refused_naming_the_id()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        var extra = FullRecipe();
        extra.Queries.Add(new Example { Id = "zz", Prompt = "1 + 1?", Response = "2" });
        var refused = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync(_client, Header("q", extra), fixture.QueryChunks));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("'zz'", refused.Status.Detail, StringComparison.Ordinal);

        var missing = FullRecipe();
        missing.Queries.RemoveAt(1);
        refused = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync(_client, Header("q", missing), fixture.QueryChunks));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("'qc'", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await _client.StoreInfoAsync(new StoreInfoRequest())).QuerySets);

        // A header that lists no queries: the recipe must match the chunks' ids.
        await RegisterAsync(_client, new QuerySetHeader { Name = "from-chunks", Recipe = FullRecipe() }, fixture.QueryChunks);
        var set = await _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "from-chunks" });
        Assert.Equal(["qm", "qc"], set.Header.Recipe.Queries.Select(q => q.Id));
        refused = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync(_client, new QuerySetHeader { Name = "from-chunks", Recipe = extra }, fixture.QueryChunks));
        Assert.Contains("'zz'", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetExamples_returns_the_ingested_metadata_in_request_order(bool tokenFactors)
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(WireDtype.Bfloat16, tokenFactors), fixture.GradientMessages);
        var assembler = new ExampleAssembler();
        var ingested = fixture.GradientMessages.Select(assembler.Accept).OfType<ReceivedExample>().ToDictionary(r => r.Header.Id);
        // Across shards (6 examples each), two from one shard, one twice.
        string[] ids = ["ex13", "ex02", "ex00", "ex19", "ex02"];

        var examples = await ReadAllAsync(_client.GetExamples(new GetExamplesRequest { Ids = { ids } }));

        Assert.Equal(ids, examples.Select(e => e.Id));
        var corpus = fixture.Corpus.ToDictionary(e => e.Id);
        foreach (var e in examples)
        {
            var h = ingested[e.Id].Header;
            Assert.Equal((corpus[e.Id].Domain, corpus[e.Id].Difficulty), (e.Domain, e.Difficulty));
            Assert.Equal(h.TokenIds, e.TokenIds);
            Assert.Equal(h.LossMask, e.LossMask);
            Assert.Contains(1u, e.LossMask);
            Assert.Equal(h.RenderedText, e.Text);
            Assert.Equal(h.CharStarts, e.CharStarts);
            Assert.Equal(h.CharLengths, e.CharLengths);
            Assert.Equal(h.TokenIds.Count, e.Tokens.Count);
            Assert.Equal(h.CharStarts.Zip(h.CharLengths, (s, l) => h.RenderedText.Substring(s, l)), e.Tokens);
            Assert.Contains(corpus[e.Id].Response, e.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetExamples_and_GetQuerySet_refuse_bad_requests_with_precise_statuses()
    {
        var noStore = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(_client.GetExamples(new GetExamplesRequest { Ids = { "ex00" } })));
        Assert.Equal(StatusCode.NotFound, noStore.StatusCode);
        Assert.Contains("ingest gradients first", noStore.Status.Detail, StringComparison.Ordinal);

        await ScoringClient.IngestAsync(_client, fixture.Header(), fixture.GradientMessages);
        var empty = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(_client.GetExamples(new GetExamplesRequest())));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);

        // The unknown id comes after a known one: nothing streams before the refusal.
        using var call = _client.GetExamples(new GetExamplesRequest { Ids = { "ex00", "who" } });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("'who'", unknown.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("'ex00'", unknown.Status.Detail, StringComparison.Ordinal);

        var noSet = await Assert.ThrowsAsync<RpcException>(() => _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "nope" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, noSet.StatusCode);
        Assert.Contains("'nope'", noSet.Status.Detail, StringComparison.Ordinal);
        var badName = await Assert.ThrowsAsync<RpcException>(() => _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "../manifest" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badName.StatusCode);
    }

    [Fact]
    public async Task Scores_from_a_projected_bf16_store_are_labelled_approximate()
    {
        await ScoringClient.IngestAsync(_client, fixture.Header(WireDtype.Bfloat16), fixture.GradientMessages);
        await ScoringClient.RegisterAsync(_client, "q", fixture.Queries, fixture.QueryChunks);

        var results = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = "q", TopK = 3 })).Select(r => r.Result).ToList();
        Assert.All(results, r => Assert.Equal(ScoreFidelity.Approximate, r.Fidelity));
        Assert.All(results.SelectMany(r => r.Top.Concat(r.Bottom)), s => Assert.Equal(ScoreFidelity.Approximate, s.Fidelity));
        var tokens = await ReadAllAsync(_client.ScoreTokens(new ScoreTokensRequest { QuerySet = "q", ExampleIds = { "ex01" } }));
        Assert.Equal(ScoreFidelity.Approximate, Assert.Single(tokens).Fidelity);
    }

    [Fact]
    public async Task Scores_from_an_identity_fp32_store_are_exact_for_preconditioned_queries_and_approximate_under_a_store_preconditioner()
    {
        var identity = new Contracts.Gradients.V1.ProjectionSpec { Identity = true };
        var factors = "full-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
        {
            using var fit = fixture.Gradients.FitFactors();
            await fit.RequestStream.WriteAsync(new FitFactorsRequest { Options = new FitFactorsOptions { Name = factors, Phase = phase } });
            foreach (var e in fixture.Corpus) await fit.RequestStream.WriteAsync(new FitFactorsRequest { Example = e });
            await fit.RequestStream.CompleteAsync();
            await fit.ResponseStream.ReadAllAsync().ToListAsync();
        }
        var info = await fixture.Gradients.GetModelInfoAsync(new GetModelInfoRequest { Projection = identity });
        var header = new IngestHeader { ModelFingerprint = info.Fingerprint, Projection = identity, StoreDtype = WireDtype.Float32, TokenFactors = true };
        header.Layers.AddRange(info.Layers);
        using (var compute = fixture.Gradients.ComputeGradients())
        {
            await compute.RequestStream.WriteAsync(new ComputeGradientsRequest
            {
                Options = new GradientOptions { Projection = identity, IncludeExampleGradient = true, IncludeTokenFactors = true, BatchSize = 4 },
            });
            foreach (var e in fixture.Corpus.Take(8)) await compute.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
            await compute.RequestStream.CompleteAsync();
            await ScoringClient.IngestAsync(_client, header, await compute.ResponseStream.ReadAllAsync().ToListAsync());
        }
        async Task<List<ComputeQueryGradientsResponse>> QueryChunks(string factorsName)
        {
            var request = new ComputeQueryGradientsRequest { Projection = identity, FactorsName = factorsName };
            request.Queries.AddRange(fixture.Queries);
            return await ReadAllAsync(fixture.Gradients.ComputeQueryGradients(request));
        }
        await ScoringClient.RegisterAsync(_client, "preconditioned", fixture.Queries, await QueryChunks(factors));
        await ScoringClient.RegisterAsync(_client, "plain", fixture.Queries, await QueryChunks(""));
        Assert.True((await _client.GetQuerySetAsync(new GetQuerySetRequest { Name = "preconditioned" })).Preconditioned);
        await ScoringClient.FitAsync(_client, new FitRequest { Name = "store-ek", Kind = PreconditionerKind.Ekfac });

        async Task<List<ScoreFidelity>> Labels(string set, string preconditioner)
        {
            var results = (await ScoringClient.ScoreAsync(_client, new ScoreRequest { QuerySet = set, Preconditioner = preconditioner, TopK = 3 })).Select(r => r.Result).ToList();
            var tokens = await ReadAllAsync(_client.ScoreTokens(new ScoreTokensRequest { QuerySet = set, Preconditioner = preconditioner, ExampleIds = { "ex00" } }));
            return [.. results.Select(r => r.Fidelity), .. results.SelectMany(r => r.Top.Concat(r.Bottom)).Select(s => s.Fidelity), .. tokens.Select(t => t.Fidelity)];
        }
        Assert.All(await Labels("preconditioned", ""), f => Assert.Equal(ScoreFidelity.Exact, f));
        Assert.All(await Labels("plain", ""), f => Assert.Equal(ScoreFidelity.Exact, f));
        Assert.All(await Labels("plain", "store-ek"), f => Assert.Equal(ScoreFidelity.Approximate, f));
    }
}
