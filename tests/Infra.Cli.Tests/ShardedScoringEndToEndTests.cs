using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;
using Infra.Client.Pipeline;
using Infra.Contracts.Scoring.V1;
using Xunit.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>
/// Issue 14 item 4's sharded scoring, through the CLI and service processes on loopback: one GradientService, one
/// ScoringService holding the whole corpus, and three ScoringService shards named as one comma-separated
/// Scoring:Address. The shards are indexed with shard 1 killed (kill -9) in the middle, found down (UNAVAILABLE naming
/// its address, through the CLI and through the AggregationService), restarted on its port and the index rerun, which
/// resumes; then every shard holds exactly its partition of the corpus, and the stage 1 score dump, the exactly
/// reranked top lists and the roll-ups (Aggregate, through an AggregationService over the shards) equal the single
/// store's to the last bit.
/// </summary>
public sealed class ShardedScoringEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const int Examples = 24;
    private const int Shards = 3;
    private const int ShardExamples = 2; // commits every 2 examples, so a shard killed mid-index has kept some
    private readonly string _root = Directory.CreateTempSubdirectory("infra-sharded-e2e-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Three_shards_give_the_single_stores_scores_top_lists_and_rollups_also_after_a_shard_is_killed_mid_index()
    {
        var clock = Stopwatch.StartNew();
        var corpus = Path.Combine(_root, "corpus.jsonl");
        var ids = EmbeddedSlice.WriteCorpus(corpus, Examples);
        var queries = Path.Combine(_root, "queries.jsonl");
        EmbeddedSlice.WriteQueries(queries, perDomain: 2);

        using var gradients = await ServiceProcess.StartGradientsOnEmbeddedModelAsync(Path.Combine(_root, "factors"));
        using var single = await StartScoringAsync("single");
        var shards = new ServiceProcess[Shards];
        try
        {
            for (var i = 0; i < Shards; i++) shards[i] = await StartScoringAsync($"shard-{i}");
            var list = string.Join(",", shards.Select(s => s.Address));
            var singleEnv = Environment(gradients, single.Address.ToString());
            var shardedEnv = Environment(gradients, list);
            log.WriteLine($"services up after {clock.Elapsed.TotalSeconds:F1} s; shards {list}");

            // The single store, and the full-space factors both runs share (they live on the GradientService).
            await RunOkAsync(["index", corpus, "--json"], singleEnv);
            await RunOkAsync(["fit", "--corpus", corpus, "--factors", "ek", "--json"], singleEnv);
            await QueryAsync(singleEnv, "out-single");

            // The shards, with shard 1 killed once it has committed part of its examples (shards are indexed in order).
            var shard1 = Path.Combine(_root, "shard-1");
            var running = CliRun.InvokeAsync(["index", corpus, "--json"], shardedEnv, _root);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (StoreManifestProbe.CommittedShards(shard1) < 1 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(10);
            var finishedFirst = running.IsCompleted;
            shards[1].KillHard();
            var killed = await running;
            log.WriteLine($"killed shard 1 mid-index: {killed}");
            Assert.False(finishedFirst, $"the index finished before the kill\n{killed}");
            Assert.NotEqual(0, killed.ExitCode);

            // Down: UNAVAILABLE naming the shard's address, never a partial answer.
            var down = await CliRun.InvokeAsync(["index", corpus, "--json"], shardedEnv, _root);
            Assert.Equal(ExitCodes.Unavailable, down.ExitCode);
            Assert.Contains($"shard 1 of 3 at {shards[1].Address}", Message(down), StringComparison.Ordinal);
            var downQuery = await CliRun.InvokeAsync(["query", "--queries", queries, "--factors", "ek", "--set", "held-out", "--out", Path.Combine(_root, "no"), "--json"], shardedEnv, _root);
            Assert.Equal(ExitCodes.Unavailable, downQuery.ExitCode);
            Assert.Contains(shards[1].Address.ToString(), Message(downQuery), StringComparison.Ordinal);

            shards[1].Dispose();
            shards[1] = await StartScoringAsync("shard-1", shards[1].Port);
            var resumed = (await RunOkAsync(["index", corpus, "--json"], shardedEnv)).Json().GetProperty("result");
            var before = resumed.GetProperty("already_stored").GetInt32();
            log.WriteLine($"resumed: {before} were stored before the kill, {resumed.GetProperty("sent").GetInt32()} sent now");
            Assert.InRange(before, ShardExamples, Examples - 1);
            Assert.Equal(Examples - before, resumed.GetProperty("sent").GetInt32());
            Assert.Equal((ulong)Examples, resumed.GetProperty("store_examples").GetUInt64());
            Assert.Equal(0, (await RunOkAsync(["index", corpus, "--json"], shardedEnv)).Json().GetProperty("result").GetProperty("sent").GetInt32());
            await AssertEachShardHoldsItsPartitionAsync(shards, ids);

            // A projected fit reaches every shard (each fits its own examples; the summary counts them all).
            var fit = (await RunOkAsync(["fit", "--kind", "diagonal", "--name", "diag", "--json"], shardedEnv)).Json();
            Assert.Equal(Examples, fit.GetProperty("preconditioner").GetProperty("examples").GetInt32());

            await QueryAsync(shardedEnv, "out-shards");
            foreach (var file in new[] { "scores-held-out.csv" })
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_root, "out-single", file)), await File.ReadAllTextAsync(Path.Combine(_root, "out-shards", file)));
            Assert.Equal(TopLists(Path.Combine(_root, "out-single", "scores-held-out.json")), TopLists(Path.Combine(_root, "out-shards", "scores-held-out.json")));

            // Roll-ups through an AggregationService over the single store and one over the three shards.
            using var aggregationSingle = await StartAggregationAsync(gradients, single.Address.ToString());
            using var aggregationShards = await StartAggregationAsync(gradients, list);
            var expected = await AggregateAsync(singleEnv, aggregationSingle);
            var actual = await AggregateAsync(shardedEnv, aggregationShards);
            Assert.Equal(Examples, actual.GetProperty("examples").GetInt32());
            Assert.Equal(expected.GetProperty("tables").GetRawText(), actual.GetProperty("tables").GetRawText());
            Assert.Equal(expected.GetProperty("cross_domain").GetRawText(), actual.GetProperty("cross_domain").GetRawText());

            // One shard down behind the AggregationService: its UNAVAILABLE names the shard, not a smaller roll-up.
            shards[2].KillHard();
            var env = new Dictionary<string, string?>(shardedEnv) { ["INFRA_AGGREGATION__ADDRESS"] = aggregationShards.Address.ToString() };
            var partial = await CliRun.InvokeAsync(["aggregate", "--set", "held-out", "--json"], env, _root);
            log.WriteLine(partial.ToString());
            Assert.Equal(ExitCodes.Unavailable, partial.ExitCode);
            Assert.Contains($"shard 2 of 3 at {shards[2].Address}", Message(partial), StringComparison.Ordinal);
            log.WriteLine($"sharded end-to-end test took {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            foreach (var shard in shards) shard?.Dispose();
        }
    }

    // Stage 1 from the full-space preconditioned queries (no store preconditioner), top 5 reranked exactly.
    private async Task QueryAsync(Dictionary<string, string?> env, string output)
    {
        var query = (await RunOkAsync(["query", "--queries", "queries.jsonl", "--factors", "ek", "--set", "held-out", "--top-k", "5",
            "--out", Path.Combine(_root, output), "--json"], env)).Json();
        Assert.Equal("EXACT", query.GetProperty("fidelity").GetString());
        Assert.Equal(4, query.GetProperty("queries").GetArrayLength());
    }

    private async Task<JsonElement> AggregateAsync(Dictionary<string, string?> env, ServiceProcess aggregation)
    {
        var withAggregation = new Dictionary<string, string?>(env) { ["INFRA_AGGREGATION__ADDRESS"] = aggregation.Address.ToString() };
        return (await RunOkAsync(["aggregate", "--set", "held-out", "--seed", "7", "--out", Path.Combine(_root, "aggregate-" + aggregation.Port), "--json"], withAggregation))
            .Json().GetProperty("result");
    }

    // Each shard lacks exactly the ids of the other partitions: the CLI's routing and `index --partition i/3` agree.
    private static async Task AssertEachShardHoldsItsPartitionAsync(ServiceProcess[] shards, IReadOnlyList<string> ids)
    {
        for (var i = 0; i < shards.Length; i++)
        {
            using var channel = GrpcChannel.ForAddress(shards[i].Address);
            var client = new ScoringService.ScoringServiceClient(channel);
            var missing = await client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { ids } });
            var held = ids.Except(missing.Ids).ToList();
            Assert.Equal(new CorpusPartition(i, shards.Length).Select(ids, id => id), held);
            Assert.Equal((ulong)held.Count, (await client.StoreInfoAsync(new StoreInfoRequest())).Examples);
        }
    }

    private static List<string> TopLists(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("queries").EnumerateArray()
            .Select(q => q.GetProperty("query_id").GetString() + ": " + string.Join(",", q.GetProperty("top").EnumerateArray()
                .Select(t => t.GetProperty("example_id").GetString() + "=" + t.GetProperty("score").GetRawText())))
            .ToList();
    }

    private static string Message(CliRun run) => run.Json().GetProperty("error").GetProperty("message").GetString()!;

    private Task<ServiceProcess> StartScoringAsync(string store, int? port = null) =>
        ServiceProcess.StartAsync("Infra.Scoring", new Dictionary<string, string>
        {
            ["Scoring:StorePath"] = Path.Combine(_root, store),
            ["Scoring:ShardExamples"] = ShardExamples.ToString(CultureInfo.InvariantCulture),
        }, port);

    private Task<ServiceProcess> StartAggregationAsync(ServiceProcess gradients, string scoring) =>
        ServiceProcess.StartAsync("Infra.Aggregation", new Dictionary<string, string>
        {
            ["Aggregation:ScoringAddress"] = scoring,
            ["Aggregation:GradientAddress"] = gradients.Address.ToString(),
            ["Aggregation:OutputRoot"] = _root,
            ["Aggregation:CorpusRoot"] = _root,
        });

    private static Dictionary<string, string?> Environment(ServiceProcess gradients, string scoring) => new()
    {
        ["INFRA_GRADIENTS__ADDRESS"] = gradients.Address.ToString(),
        ["INFRA_SCORING__ADDRESS"] = scoring,
        ["INFRA_BATCHSIZE"] = "1",
        ["INFRA_PROJECTIONDIM"] = "16",
    };

    private async Task<CliRun> RunOkAsync(string[] args, Dictionary<string, string?> env)
    {
        var run = await CliRun.InvokeAsync(args, env, _root);
        Assert.True(run.ExitCode == 0, $"infra {string.Join(' ', args)}: {run}");
        return run;
    }
}
