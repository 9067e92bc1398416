using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Gradients.Hosting;
using Infra.Gradients.Mapping;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Infra.Gradients.Tests;

/// <summary>ScoreExact over loopback: the stream carries the domain's exact scores; bad calls are refused with the right status.</summary>
public sealed class ScoreExactTests(LoopbackHostFixture fixture, ITestOutputHelper output) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    private static readonly Example[] Queries =
    [
        GradientClient.Chat("q1", "What is 7 * 6?", "7 * 6 = 42."),
        GradientClient.Chat("q2", "Reverse 'abc' in Python.", "'abc'[::-1] gives 'cba'.", "code"),
    ];

    // As the ScoringService's store holds them: token ids and a loss mask over the response.
    private static IEnumerable<Example> Candidates(int count, int seed = 5) => Enumerable.Range(0, count).Select(i =>
    {
        var random = new Random(seed + i);
        var length = 12 + i % 5;
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange(Enumerable.Range(0, length).Select(_ => random.Next(32, 127)));
        tokens.LossMask.AddRange(Enumerable.Range(0, length).Select(t => t >= length / 2 ? 1u : 0u));
        return new Example { Id = $"c{i}", Tokens = tokens };
    });

    private static IEnumerable<Example> FittingCorpus() => Enumerable.Range(0, 10).Select(i =>
        GradientClient.Chat($"fit{i}", $"What is {i} + {i}?", $"{i} + {i} = {2 * i}."));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_a_header_then_the_domain_scores_of_every_candidate(bool preconditioned)
    {
        var options = new ExactScoringOptions { IncludeTokenScores = true, BatchSize = 2 };
        options.Queries.AddRange(Queries);
        if (preconditioned)
        {
            options.FactorsName = "exact-" + Guid.NewGuid().ToString("N")[..8];
            await GradientClient.FitAsync(_client, new FitFactorsOptions { Name = options.FactorsName, Phase = FitPhase.Covariance }, FittingCorpus());
            await GradientClient.FitAsync(_client, new FitFactorsOptions { Name = options.FactorsName, Phase = FitPhase.EigenvalueCorrection }, FittingCorpus());
        }
        var candidates = Candidates(5).ToList();
        var info = await _client.GetModelInfoAsync(new GetModelInfoRequest());
        options.ModelFingerprint = info.Fingerprint;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await GradientClient.ScoreExactAsync(_client, options, candidates);
        output.WriteLine($"{candidates.Count} candidates x {Queries.Length} queries over loopback: {clock.Elapsed.TotalSeconds:F2} s");

        var header = responses[0].Header;
        Assert.NotNull(header);
        Assert.Equal(["q1", "q2"], header.QueryIds);
        Assert.Equal(preconditioned, header.Preconditioned);
        Assert.Equal(preconditioned ? info.Layers.Count : 0, header.Damping.Count);
        Assert.All(header.Damping, d => Assert.True(d > 0));
        Assert.Equal(info.Fingerprint, header.ModelFingerprint);
        Assert.All(header.Measurements, f => Assert.True(f < 0));
        var scores = responses.Where(r => r.ItemCase == ScoreExactResponse.ItemOneofCase.Scores).Select(r => r.Scores).ToList();
        var progress = responses.Where(r => r.ItemCase == ScoreExactResponse.ItemOneofCase.Progress).Select(r => r.Progress.ExamplesDone).ToList();
        Assert.Equal([2ul, 4ul, 5ul], progress);
        Assert.Equal(candidates.Select(c => c.Id), scores.Select(s => s.ExampleId));

        var expected = await DomainScores(options, candidates);
        var largest = expected.SelectMany(e => e.ExampleScores).Max(Math.Abs);
        for (var c = 0; c < candidates.Count; c++)
        {
            Assert.Equal(ScoreFidelity.Exact, scores[c].Fidelity);
            Assert.Equal((uint)candidates[c].Tokens.TokenIds.Count, scores[c].Tokens);
            Assert.False(scores[c].Truncated);
            Assert.Equal(expected[c].TokenScores!.Length, scores[c].TokenScores.Count);
            for (var j = 0; j < Queries.Length; j++)
            {
                Assert.True(Math.Abs(expected[c].ExampleScores[j] - scores[c].ExampleScores[j]) <= 1e-9 * largest, $"{candidates[c].Id} x q{j + 1}");
                var tokenSum = Enumerable.Range(0, (int)scores[c].Tokens).Sum(t => scores[c].TokenScores[t * Queries.Length + j]);
                Assert.True(Math.Abs(tokenSum - scores[c].ExampleScores[j]) <= 1e-9 * largest);
            }
        }
    }

    [Fact]
    public async Task Queries_over_the_memory_budget_are_spooled_and_score_the_same_bits()
    {
        // Same seed, same model: a second service that spools every query set (budget 0) into its own folder.
        var spool = Directory.CreateTempSubdirectory("infra-exact-spool-").FullName;
        await using var spooling = await GradientTestHost.StartAsync(loopback: true, new Dictionary<string, string?>
        {
            ["Gradients:ChunkBytes"] = "1024", ["Gradients:ExactQueryBudgetBytes"] = "0", ["Gradients:EkfacSpoolPath"] = spool,
        });
        try
        {
            var other = new GradientService.GradientServiceClient(spooling.Channel);
            var options = new ExactScoringOptions { IncludeTokenScores = true, BatchSize = 2 };
            options.Queries.AddRange(Queries);
            options.ModelFingerprint = (await _client.GetModelInfoAsync(new GetModelInfoRequest())).Fingerprint;
            Assert.Equal(options.ModelFingerprint, (await other.GetModelInfoAsync(new GetModelInfoRequest())).Fingerprint);
            var candidates = Candidates(5).ToList();

            // The spool is observed, not assumed: every layer's file appears in the folder while the call runs.
            var created = 0;
            using var watcher = new FileSystemWatcher(spool) { EnableRaisingEvents = true };
            watcher.Created += (_, _) => Interlocked.Increment(ref created);

            var held = await GradientClient.ScoreExactAsync(_client, options, candidates);
            var spooled = await GradientClient.ScoreExactAsync(other, options, candidates);
            var layers = (await other.GetModelInfoAsync(new GetModelInfoRequest())).Layers.Count;
            for (var wait = 0; Volatile.Read(ref created) < layers && wait < 50; wait++) await Task.Delay(20);
            Assert.Equal(layers, Volatile.Read(ref created));

            static List<ExactExampleScores> Scores(IEnumerable<ScoreExactResponse> responses) =>
                responses.Where(r => r.ItemCase == ScoreExactResponse.ItemOneofCase.Scores).Select(r => r.Scores).ToList();
            Assert.Equal(Scores(held).Select(s => (s.ExampleId, s.ExampleScores.ToArray(), s.TokenScores.ToArray())),
                Scores(spooled).Select(s => (s.ExampleId, s.ExampleScores.ToArray(), s.TokenScores.ToArray())));
            Assert.Equal(held[0].Header.Measurements, spooled[0].Header.Measurements);
            Assert.Empty(Directory.GetFiles(spool)); // the call's spool is gone when it ends
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task Zero_candidates_give_the_header_alone_and_token_scores_only_when_asked()
    {
        var options = new ExactScoringOptions();
        options.Queries.AddRange(Queries);
        var none = await GradientClient.ScoreExactAsync(_client, options, []);
        Assert.Equal(ScoreExactResponse.ItemOneofCase.Header, Assert.Single(none).ItemCase);

        var one = await GradientClient.ScoreExactAsync(_client, options, Candidates(1));
        var scores = one.Single(r => r.ItemCase == ScoreExactResponse.ItemOneofCase.Scores).Scores;
        Assert.Equal(2, scores.ExampleScores.Count);
        Assert.Empty(scores.TokenScores);
    }

    [Fact]
    public async Task Another_models_fingerprint_is_refused_naming_both()
    {
        var info = await _client.GetModelInfoAsync(new GetModelInfoRequest());
        var options = new ExactScoringOptions { ModelFingerprint = new string('a', 64) };
        options.Queries.AddRange(Queries);
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ScoreExactAsync(_client, options, Candidates(2)));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("aaaaaaaaaaaa", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(info.Fingerprint[..12], error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factors_of_another_model_are_refused_naming_both()
    {
        var name = "exact-other-" + Guid.NewGuid().ToString("N")[..8];
        await GradientClient.FitAsync(_client, new FitFactorsOptions { Name = name, Phase = FitPhase.Covariance }, FittingCorpus());
        var manifestPath = Path.Combine(fixture.Host.Root, "factors", name, "factors.json");
        var info = await _client.GetModelInfoAsync(new GetModelInfoRequest());
        var text = await File.ReadAllTextAsync(manifestPath);
        await File.WriteAllTextAsync(manifestPath, text.Replace(info.Fingerprint, new string('b', 64), StringComparison.Ordinal));
        var options = new ExactScoringOptions { FactorsName = name };
        options.Queries.AddRange(Queries);
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ScoreExactAsync(_client, options, Candidates(1)));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("bbbbbbbbbbbb", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(info.Fingerprint[..12], error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_calls_are_refused_with_their_status()
    {
        var unknown = new ExactScoringOptions { FactorsName = "no-such-factors" };
        unknown.Queries.AddRange(Queries);
        var notFound = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ScoreExactAsync(_client, unknown, Candidates(1)));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Contains("no-such-factors", notFound.Status.Detail, StringComparison.Ordinal);

        // A NaN damping would silently fall back to the default and +inf would zero the query: both refused, for both RPCs.
        foreach (var damping in new[] { double.NaN, double.PositiveInfinity })
        {
            var badDamping = new ExactScoringOptions { Damping = damping };
            badDamping.Queries.AddRange(Queries);
            var refused = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ScoreExactAsync(_client, badDamping, Candidates(1)));
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Contains("damping must be finite", refused.Status.Detail, StringComparison.Ordinal);
            var query = new ComputeQueryGradientsRequest { Damping = damping, Projection = new ProjectionSpec { Identity = true } };
            query.Queries.AddRange(Queries);
            var alsoRefused = await Assert.ThrowsAsync<RpcException>(() => _client.ComputeQueryGradients(query).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.InvalidArgument, alsoRefused.StatusCode);
        }

        var noQueries = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ScoreExactAsync(_client, new ExactScoringOptions(), Candidates(1)));
        Assert.Equal(StatusCode.InvalidArgument, noQueries.StatusCode);
        Assert.Contains("queries is empty", noQueries.Status.Detail, StringComparison.Ordinal);

        var duplicates = new ExactScoringOptions();
        duplicates.Queries.AddRange([Queries[0], Queries[0]]);
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ScoreExactAsync(_client, duplicates, Candidates(1)));
        Assert.Equal(StatusCode.InvalidArgument, duplicate.StatusCode);
        Assert.Contains("'q1' 2 times", duplicate.Status.Detail, StringComparison.Ordinal);

        using (var call = _client.ScoreExact())
        {
            await call.RequestStream.WriteAsync(new ScoreExactRequest { Candidate = Candidates(1).Single() });
            await call.RequestStream.CompleteAsync();
            var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("ExactScoringOptions", error.Status.Detail, StringComparison.Ordinal);
        }

        using (var call = _client.ScoreExact())
        {
            await call.RequestStream.CompleteAsync();
            var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("empty", error.Status.Detail, StringComparison.Ordinal);
        }

        var options = new ExactScoringOptions { BatchSize = 1 };
        options.Queries.AddRange(Queries);
        using (var call = _client.ScoreExact())
        {
            await call.RequestStream.WriteAsync(new ScoreExactRequest { Options = options });
            await call.RequestStream.WriteAsync(new ScoreExactRequest { Options = options });
            await call.RequestStream.CompleteAsync();
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
            });
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("must carry a candidate", error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cancelled_call_ends_with_cancelled_and_the_service_keeps_serving()
    {
        using var cts = new CancellationTokenSource();
        var options = new ExactScoringOptions { BatchSize = 1 };
        options.Queries.AddRange(Queries);
        using var call = _client.ScoreExact(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new ScoreExactRequest { Options = options });
        var sending = Task.Run(async () =>
        {
            foreach (var c in Candidates(400)) await call.RequestStream.WriteAsync(new ScoreExactRequest { Candidate = c });
        });
        var done = 0;
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var m in call.ResponseStream.ReadAllAsync(cts.Token))
            {
                if (m.ItemCase == ScoreExactResponse.ItemOneofCase.Scores && ++done == 3) await cts.CancelAsync();
            }
        });
        Assert.True(error is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException, error.ToString());
        Assert.True(done < 400);
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        var again = await GradientClient.ScoreExactAsync(_client, options, Candidates(1));
        Assert.Single(again, r => r.ItemCase == ScoreExactResponse.ItemOneofCase.Scores);
    }

    // The same quantity computed by the domain classes directly, on the service's own model.
    private async Task<IReadOnlyList<ExactScores>> DomainScores(ExactScoringOptions options, IReadOnlyList<Example> candidates)
    {
        var session = fixture.Host.Services.GetRequiredService<ModelSession>();
        var store = fixture.Host.Services.GetRequiredService<EkfacFactorStore>();
        var rendering = ExampleRendering.For(session, WireTypes.ToChatFormat(options.ChatFormat));
        var queries = options.Queries.Select(q => ExampleMapper.Map(q, rendering).Tokens).ToList();
        var mapped = candidates.Select(c => ExampleMapper.Map(c, rendering).Tokens).ToList();
        using (await session.AcquireAsync(CancellationToken.None))
        {
            using var gradients = FullSpaceQueries(session, store, options.FactorsName, queries);
            var scorer = new ExactInfluenceScorer(session.Computer, gradients.Layers);
            return mapped.Chunk((int)options.BatchSize).SelectMany(b => scorer.Score(b, false, includeTokens: true)).ToList();
        }
    }

    private static FullSpaceQueryGradients FullSpaceQueries(ModelSession session, EkfacFactorStore store, string factorsName,
        IReadOnlyList<TokenizedExample> queries)
    {
        using var factors = string.IsNullOrEmpty(factorsName)
            ? null
            : store.Load(factorsName, session.Fingerprint, session.Layers.Select(l => l.Name).ToList()).Factors;
        return new QueryGradientEngine(session.Computer, session.ProjectorFor(Core.Compression.ProjectionSpec.Exact))
            .ComputeFullSpace(queries, Torch.Gradients.MeasurementReduction.Mean, factors, 0, session.Options.DefaultBatchSize);
    }
}
