using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Scoring.Tests;

/// <summary>
/// Metadata columns and difficulty schemes through the real ScoringService on loopback: kept by the store, listed by
/// StoreInfo, served per example in score chunks and by GetExamples, still there after a restart, and refused when a
/// scheme or a column name does not fit.
/// </summary>
public sealed class MetadataStoreTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private readonly string _store = Path.Combine(fixture.Root, "store-" + Guid.NewGuid().ToString("N")[..8]);
    private LoopbackScoring _scoring = null!;

    private ScoringService.ScoringServiceClient Client => _scoring.Client;

    public async Task InitializeAsync() => _scoring = await LoopbackScoring.StartAsync(_store);

    public async Task DisposeAsync() => await _scoring.DisposeAsync();

    private static DifficultyScheme LevelScheme()
    {
        var scheme = new DifficultyScheme { Source = DifficultySource.Mapped, Column = "level", Levels = 3 };
        scheme.Mapping.Add(new Dictionary<string, int> { ["easy"] = 1, ["medium"] = 2, ["hard"] = 3 });
        return scheme;
    }

    private IngestHeader HeaderWith(DifficultyScheme? scheme)
    {
        var header = fixture.Header();
        header.Difficulty = scheme;
        return header;
    }

    // Example i's metadata: every kind, with gaps (odd rows have no rating, every third no score, ex19 none at all).
    private static Dictionary<string, MetadataValue> MetadataOf(int i) => i == 19
        ? []
        : new Dictionary<string, MetadataValue>
        {
            ["source"] = new() { StringValue = i < 10 ? "gsm8k" : "apps" },
            ["explores"] = new() { BoolValue = i % 4 == 0 },
        }
        .Concat(i % 2 == 0 ? [new("rating", new MetadataValue { IntValue = 800 + (100 * i) })] : [])
        .Concat(i % 3 == 0 ? [new("score", new MetadataValue { DoubleValue = i == 0 ? 2.0 : i / 4.0 })] : [])
        .ToDictionary();

    private List<ComputeGradientsResponse> TaggedMessages()
    {
        var messages = fixture.GradientMessages.Select(m => m.Clone()).ToList();
        foreach (var m in messages.Where(m => m.ItemCase == ComputeGradientsResponse.ItemOneofCase.Header))
            m.Header.Metadata.Add(MetadataOf(int.Parse(m.Header.Id[2..], System.Globalization.CultureInfo.InvariantCulture)));
        return messages;
    }

    // The messages of the examples whose ids pass (progress messages left out).
    private static IEnumerable<ComputeGradientsResponse> Only(IEnumerable<ComputeGradientsResponse> messages, Func<string, bool> id) =>
        messages.Where(m => m.ItemCase switch
        {
            ComputeGradientsResponse.ItemOneofCase.Header => id(m.Header.Id),
            ComputeGradientsResponse.ItemOneofCase.Chunk => id(m.Chunk.ExampleId),
            ComputeGradientsResponse.ItemOneofCase.Done => id(m.Done.Id),
            _ => false,
        });

    // The estimate by hand: mean loss per loss-mask token, numpy-type-7 quantiles at 20..80%, level = 1 + edges below.
    private static (double[] Edges, Dictionary<string, int> Levels) HandEstimate(IEnumerable<ExampleHeader> headers)
    {
        var means = headers.ToDictionary(h => h.Id, h => (double)h.Loss / h.LossMask.Count(m => m != 0));
        var sorted = means.Values.Order().ToArray();
        var edges = Quantiles.Select(p =>
        {
            var at = p * (sorted.Length - 1);
            var low = (int)Math.Floor(at);
            return sorted[low] + ((at - low) * (sorted[Math.Min(low + 1, sorted.Length - 1)] - sorted[low]));
        }).ToArray();
        return (edges, means.ToDictionary(p => p.Key, p => 1 + edges.Count(e => p.Value > e)));
    }

    private static readonly double[] Quantiles = [0.2, 0.4, 0.6, 0.8];

    private IEnumerable<ExampleHeader> Headers => fixture.GradientMessages.Where(m => m.ItemCase == ComputeGradientsResponse.ItemOneofCase.Header).Select(m => m.Header);

    [Fact]
    public async Task Metadata_and_the_scheme_are_listed_served_per_example_and_survive_a_restart()
    {
        var tagged = TaggedMessages();
        await ScoringClient.IngestAsync(Client, HeaderWith(LevelScheme()), Only(tagged, id => string.CompareOrdinal(id, "ex10") < 0));
        var (halfEdges, _) = HandEstimate(Headers.Where(h => string.CompareOrdinal(h.Id, "ex10") < 0));
        var half = await Client.StoreInfoAsync(new StoreInfoRequest());
        Assert.Equal(halfEdges, half.EstimatedDifficulty.BinEdges, new ToleranceComparer(1e-9));

        // More examples: the saved estimate is stale and is computed again over all of them.
        await ScoringClient.IngestAsync(Client, HeaderWith(LevelScheme()), Only(tagged, id => string.CompareOrdinal(id, "ex10") >= 0));
        var (edges, levels) = HandEstimate(Headers);
        await AssertInfoAsync();
        Assert.Contains("\"examples\": 20", await File.ReadAllTextAsync(Path.Combine(_store, "estimated-difficulty.json")), StringComparison.Ordinal);

        await _scoring.DisposeAsync();
        _scoring = await LoopbackScoring.StartAsync(_store);
        await AssertInfoAsync();

        await ScoringClient.RegisterAsync(Client, "q", fixture.Queries, fixture.QueryChunks);
        string[] columns = ["rating", "score", "explores", "source", "domain", "difficulty", "estimated_difficulty"];
        var chunks = (await ScoringClient.ScoreAsync(Client, new ScoreRequest { QuerySet = "q", IncludeAllScores = true, MetadataColumns = { columns } }))
            .Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk).Select(r => r.Chunk).ToList();
        var served = chunks.SelectMany(c => c.ExampleIds.Zip(c.Metadata)).ToDictionary(p => p.First, p => p.Second.Values);
        Assert.All(chunks, c => Assert.Equal(c.ExampleIds.Count, c.Metadata.Count));
        Assert.Equal(20, served.Count);
        foreach (var example in fixture.Corpus)
        {
            var i = int.Parse(example.Id[2..], System.Globalization.CultureInfo.InvariantCulture);
            var expected = new Dictionary<string, MetadataValue>(MetadataOf(i))
            {
                ["domain"] = new() { StringValue = example.Domain },
                ["difficulty"] = new() { IntValue = example.Difficulty },
                ["estimated_difficulty"] = new() { IntValue = levels[example.Id] },
            };
            Assert.Equal(expected.OrderBy(p => p.Key), served[example.Id].OrderBy(p => p.Key));
        }
        Assert.Equal(MetadataValue.KindOneofCase.DoubleValue, served["ex00"]["score"].KindCase);
        Assert.Equal(2.0, served["ex00"]["score"].DoubleValue);
        Assert.Equal([1, 2, 3, 4, 5], levels.Values.Distinct().Order());

        // Without metadata_columns the chunks carry none, as before.
        var plain = await ScoringClient.ScoreAsync(Client, new ScoreRequest { QuerySet = "q", IncludeAllScores = true });
        Assert.All(plain.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk), r => Assert.Empty(r.Chunk.Metadata));

        using var examples = Client.GetExamples(new GetExamplesRequest { Ids = { "ex06", "ex19" } });
        var read = await examples.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(MetadataOf(6).OrderBy(p => p.Key), read[0].Metadata.OrderBy(p => p.Key));
        Assert.Empty(read[1].Metadata);

        async Task AssertInfoAsync()
        {
            var info = await Client.StoreInfoAsync(new StoreInfoRequest());
            Assert.Equal(DifficultySource.Mapped, info.Schema.Difficulty.Source);
            Assert.Equal(LevelScheme().Mapping, info.Schema.Difficulty.Mapping);
            Assert.Equal("level", info.Schema.Difficulty.Column);
            Assert.Equal(
                [("explores", "bool", 19ul, 2u), ("rating", "int", 10ul, 10u), ("score", "double", 7ul, 7u), ("source", "string", 19ul, 2u)],
                info.MetadataColumns.Select(c => (c.Name, c.Type, c.Examples, c.Distinct)));
            Assert.Equal(DifficultySource.Estimated, info.EstimatedDifficulty.Source);
            Assert.Equal(5u, info.EstimatedDifficulty.Levels);
            Assert.Equal("", info.EstimatedDifficulty.Column);
            Assert.Equal(edges, info.EstimatedDifficulty.BinEdges, new ToleranceComparer(1e-9));
            Assert.Contains("estimated", info.EstimatedDifficulty.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_columns_other_schemes_and_reserved_names_are_refused_naming_them()
    {
        await ScoringClient.IngestAsync(Client, HeaderWith(LevelScheme()), TaggedMessages().Take(40));
        await ScoringClient.RegisterAsync(Client, "q", fixture.Queries, fixture.QueryChunks);

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            ScoringClient.ScoreAsync(Client, new ScoreRequest { QuerySet = "q", MetadataColumns = { "source", "langauge" } }));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("'langauge'", unknown.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("domain, difficulty, estimated_difficulty, explores, rating, score, source", unknown.Status.Detail, StringComparison.Ordinal);

        var binned = new DifficultyScheme { Source = DifficultySource.Binned, Column = "rating", Levels = 2, BinEdges = { 1500 } };
        var other = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(Client, HeaderWith(binned), []));
        Assert.Equal(StatusCode.FailedPrecondition, other.StatusCode);
        Assert.Contains("column 'level' mapped to levels: 'easy' -> 1, 'medium' -> 2, 'hard' -> 3", other.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("column 'rating' cut into 2 quantile bins at 1500", other.Status.Detail, StringComparison.Ordinal);

        // No scheme is not "the saved one": data whose levels mean something unsaid may not join the store's.
        var none = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(Client, HeaderWith(null), []));
        Assert.Equal(StatusCode.FailedPrecondition, none.StatusCode);
        Assert.Contains("none (levels given as integers, or no difficulty)", none.Status.Detail, StringComparison.Ordinal);

        var reserved = TaggedMessages();
        reserved.First(m => m.ItemCase == ComputeGradientsResponse.ItemOneofCase.Header && m.Header.Id == "ex19").Header.Metadata["difficulty"] = new() { StringValue = "Level 3" };
        var clash = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(Client, HeaderWith(LevelScheme()), reserved));
        Assert.Equal(StatusCode.InvalidArgument, clash.StatusCode);
        Assert.Contains("example 'ex19': metadata column 'difficulty' has a reserved name", clash.Status.Detail, StringComparison.Ordinal);

        // The refused example is not stored; the scheme is as it was.
        Assert.Equal(["ex19"], (await Client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { "ex18", "ex19" } })).Ids);
        Assert.Equal(DifficultySource.Mapped, (await Client.StoreInfoAsync(new StoreInfoRequest())).Schema.Difficulty.Source);
    }

    [Fact]
    public async Task A_store_written_before_metadata_and_schemes_opens_serves_and_takes_the_same_data_again()
    {
        await ScoringClient.IngestAsync(Client, fixture.Header(), fixture.GradientMessages);
        await _scoring.DisposeAsync();
        OldFormat.Rewrite(_store);
        _scoring = await LoopbackScoring.StartAsync(_store);

        var info = await Client.StoreInfoAsync(new StoreInfoRequest());
        Assert.Equal(20ul, info.Examples);
        Assert.Null(info.Schema.Difficulty);
        Assert.Empty(info.MetadataColumns);
        Assert.Equal(HandEstimate(Headers).Edges, info.EstimatedDifficulty.BinEdges, new ToleranceComparer(1e-9));

        await ScoringClient.RegisterAsync(Client, "q", fixture.Queries, fixture.QueryChunks);
        var chunks = (await ScoringClient.ScoreAsync(Client, new ScoreRequest { QuerySet = "q", IncludeAllScores = true, MetadataColumns = { "domain", "estimated_difficulty" } }))
            .Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk).Select(r => r.Chunk).ToList();
        var levels = HandEstimate(Headers).Levels;
        foreach (var (id, metadata) in chunks.SelectMany(c => c.ExampleIds.Zip(c.Metadata)))
        {
            Assert.Equal(fixture.Corpus.Single(e => e.Id == id).Domain, metadata.Values["domain"].StringValue);
            Assert.Equal(levels[id], metadata.Values["estimated_difficulty"].IntValue);
        }
        var unknown = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.ScoreAsync(Client, new ScoreRequest { QuerySet = "q", MetadataColumns = { "source" } }));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);

        using var examples = Client.GetExamples(new GetExamplesRequest { Ids = { "ex03" } });
        Assert.Empty((await examples.ResponseStream.ReadAllAsync().SingleAsync()).Metadata);

        // Existing clients (no scheme, no metadata) keep ingesting: the examples hash as before, so all are skipped.
        var again = await ScoringClient.IngestAsync(Client, fixture.Header(), fixture.GradientMessages);
        Assert.Equal((20ul, 0ul), (again.Skipped, again.Stored));
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_store, "manifest.json")))!;
        Assert.Equal(2, manifest["format_version"]!.GetValue<int>());
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
