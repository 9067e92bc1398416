using System.Diagnostics;
using System.Text.Json;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;
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
    private readonly EndToEndRoot _e2e = new("infra-sharded-e2e-");

    private string Root => _e2e.Path;

    public void Dispose() => _e2e.Dispose();

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Three_shards_give_the_single_stores_scores_top_lists_and_rollups_also_after_a_shard_is_killed_mid_index()
    {
        var clock = Stopwatch.StartNew();
        var corpus = Path.Combine(Root, "corpus.jsonl");
        var ids = EmbeddedSlice.WriteCorpus(corpus, Examples);
        var queries = Path.Combine(Root, "queries.jsonl");
        EmbeddedSlice.WriteQueries(queries, perDomain: 2);

        using var gradients = await ServiceProcess.StartGradientsOnEmbeddedModelAsync(Path.Combine(Root, "factors"));
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
            var shard1 = Path.Combine(Root, "shard-1");
            var running = CliRun.InvokeAsync(["index", corpus, "--json"], shardedEnv, Root);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (StoreManifestProbe.CommittedShards(shard1) < 1 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(10);
            var finishedFirst = running.IsCompleted;
            shards[1].KillHard();
            var killed = await running;
            log.WriteLine($"killed shard 1 mid-index: {killed}");
            Assert.False(finishedFirst, $"the index finished before the kill\n{killed}");
            Assert.NotEqual(0, killed.ExitCode);

            // Down: UNAVAILABLE naming the shard's address, never a partial answer.
            var down = await CliRun.InvokeAsync(["index", corpus, "--json"], shardedEnv, Root);
            Assert.Equal(ExitCodes.Unavailable, down.ExitCode);
            Assert.Contains($"shard 1 of 3 at {shards[1].Address}", Message(down), StringComparison.Ordinal);
            var downQuery = await CliRun.InvokeAsync(["query", "--queries", queries, "--factors", "ek", "--set", "held-out", "--out", Path.Combine(Root, "no"), "--json"], shardedEnv, Root);
            Assert.Equal(ExitCodes.Unavailable, downQuery.ExitCode);
            Assert.Contains(shards[1].Address.ToString(), Message(downQuery), StringComparison.Ordinal);

            shards[1].Dispose();
            shards[1] = await StartScoringAsync("shard-1", shards[1].Port);
            var resumed = (await RunOkAsync(["index", corpus, "--json"], shardedEnv)).Json().GetProperty("result");
            var before = resumed.GetProperty("already_stored").GetInt32();
            log.WriteLine($"resumed: {before} were stored before the kill, {resumed.GetProperty("sent").GetInt32()} sent now");
            // Shard 1's first commit was seen before the kill. On loaded cores the rest of the (tiny) corpus can reach the
            // shards between that sight and the kill (a CI run stored all 24, and the run still failed on the dead shard):
            // then this resume sends nothing, and the resume of missing examples is left to GradientWorkersEndToEndTests.
            Assert.InRange(before, ShardExamples, Examples);
            Assert.Equal(Examples - before, resumed.GetProperty("sent").GetInt32());
            Assert.Equal((ulong)Examples, resumed.GetProperty("store_examples").GetUInt64());
            Assert.Equal(0, (await RunOkAsync(["index", corpus, "--json"], shardedEnv)).Json().GetProperty("result").GetProperty("sent").GetInt32());
            await AssertEachShardHoldsItsPartitionAsync(shards, ids);

            // A projected fit reaches every shard (each fits its own examples; the summary counts them all).
            var fit = (await RunOkAsync(["fit", "--kind", "diagonal", "--name", "diag", "--json"], shardedEnv)).Json();
            Assert.Equal(Examples, fit.GetProperty("preconditioner").GetProperty("examples").GetInt32());

            await QueryAsync(shardedEnv, "out-shards");
            foreach (var file in new[] { "scores-held-out.csv" })
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Root, "out-single", file)), await File.ReadAllTextAsync(Path.Combine(Root, "out-shards", file)));
            Assert.Equal(TopLists(Path.Combine(Root, "out-single", "scores-held-out.json")), TopLists(Path.Combine(Root, "out-shards", "scores-held-out.json")));

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
            var env = EndToEndRoot.With(shardedEnv, aggregationShards);
            var partial = await CliRun.InvokeAsync(["aggregate", "--set", "held-out", "--json"], env, Root);
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
            "--out", Path.Combine(Root, output), "--json"], env)).Json();
        Assert.Equal("EXACT", query.GetProperty("fidelity").GetString());
        Assert.Equal(4, query.GetProperty("queries").GetArrayLength());
    }

    private async Task<JsonElement> AggregateAsync(Dictionary<string, string?> env, ServiceProcess aggregation) =>
        (await RunOkAsync(["aggregate", "--set", "held-out", "--seed", "7", "--out", Path.Combine(Root, "aggregate-" + aggregation.Port), "--json"],
            EndToEndRoot.With(env, aggregation))).Json().GetProperty("result");

    private static Task AssertEachShardHoldsItsPartitionAsync(ServiceProcess[] shards, IReadOnlyList<string> ids) =>
        EndToEndRoot.AssertEachShardHoldsItsPartitionAsync(shards, ids);

    private static List<string> TopLists(string path) => EndToEndRoot.TopLists(path);

    private static string Message(CliRun run) => EndToEndRoot.Message(run);

    private Task<ServiceProcess> StartScoringAsync(string store, int? port = null) => _e2e.StartScoringAsync(store, ShardExamples, port);

    private Task<ServiceProcess> StartAggregationAsync(ServiceProcess gradients, string scoring) => _e2e.StartAggregationAsync(gradients.Address.ToString(), scoring);

    private static Dictionary<string, string?> Environment(ServiceProcess gradients, string scoring) => EndToEndRoot.Environment(gradients.Address.ToString(), scoring);

    private Task<CliRun> RunOkAsync(string[] args, Dictionary<string, string?> env) => _e2e.RunOkAsync(args, env);
}
