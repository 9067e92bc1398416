using System.Diagnostics;
using System.Text.Json;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;
using Xunit.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>
/// Issue 14's first target, through the CLI and service processes on loopback: three GradientService workers and three
/// ScoringService shards (Gradients:Address and Scoring:Address both comma-separated lists) against the single node (one
/// worker, one store). The workers share one factors folder, as the replicas of deploy/kubernetes share a volume. The
/// index is run with worker 1 and shard 1 killed (kill -9) together mid-index; rerun once shard 1 is back but worker 1
/// still down, it resumes on the other two workers, retiring worker 1 (reported on stderr); rerun once worker 1 is back,
/// it has nothing left to send. In between, a fit over a list whose first worker is the dead one goes to the next that
/// serves, saying so on stderr. Then the stage 1 score dump, the exactly reranked top lists (stage 2 spread over the three
/// workers) and the roll-ups (an AggregationService over the three workers and three shards) equal the single node's to
/// the last bit.
/// </summary>
public sealed class GradientWorkersEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const int Examples = 48; // enough that work is left when shard 1 first commits, with three workers computing at once
    private const int Count = 3;
    private const int ShardExamples = 2; // commits every 2 examples, so a shard killed mid-index has kept some
    private readonly EndToEndRoot _e2e = new("infra-workers-e2e-");

    public void Dispose() => _e2e.Dispose();

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Three_workers_and_three_shards_give_the_single_nodes_scores_top_lists_and_rollups_also_after_a_worker_and_a_shard_are_killed_mid_index()
    {
        var clock = Stopwatch.StartNew();
        var corpus = _e2e.File("corpus.jsonl");
        var ids = EmbeddedSlice.WriteCorpus(corpus, Examples);
        EmbeddedSlice.WriteQueries(_e2e.File("queries.jsonl"), perDomain: 2);

        var workers = new ServiceProcess[Count];
        var shards = new ServiceProcess[Count];
        try
        {
            var starting = Enumerable.Range(0, Count).Select(_ => ServiceProcess.StartGradientsOnEmbeddedModelAsync(_e2e.File("factors"))).ToList();
            for (var i = 0; i < Count; i++) workers[i] = await starting[i];
            for (var i = 0; i < Count; i++) shards[i] = await _e2e.StartScoringAsync($"shard-{i}", ShardExamples);
            using var single = await _e2e.StartScoringAsync("single", ShardExamples);
            var workerList = string.Join(",", workers.Select(w => w.Address));
            var shardList = string.Join(",", shards.Select(s => s.Address));
            var singleEnv = EndToEndRoot.Environment(workers[0].Address.ToString(), single.Address.ToString());
            var spreadEnv = EndToEndRoot.Environment(workerList, shardList);
            log.WriteLine($"services up after {clock.Elapsed.TotalSeconds:F1} s; workers {workerList}; shards {shardList}");

            // The single node, and the full-space factors every worker reads from the shared folder.
            await _e2e.RunOkAsync(["index", corpus, "--json"], singleEnv);
            var singleFit = (await _e2e.RunOkAsync(["fit", "--corpus", corpus, "--factors", "ek", "--json"], singleEnv)).Json().GetProperty("factors");
            await QueryAsync(singleEnv, "out-single");
            log.WriteLine($"single node done after {clock.Elapsed.TotalSeconds:F1} s");

            // Worker 1 and shard 1 killed together once shard 1 has committed part of its examples.
            var running = _e2e.RunAsync(["index", corpus, "--json"], spreadEnv);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (StoreManifestProbe.CommittedShards(_e2e.File("shard-1")) < 1 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(10);
            var finishedFirst = running.IsCompleted;
            workers[1].KillHard();
            shards[1].KillHard();
            var killed = await running;
            log.WriteLine($"killed worker 1 and shard 1 mid-index: {killed}");
            Assert.False(finishedFirst, $"the index finished before the kill\n{killed}");
            Assert.NotEqual(0, killed.ExitCode);

            // Shard 1 back, worker 1 still down: the rerun resumes on workers 0 and 2, retiring worker 1 and saying so.
            shards[1].Dispose();
            shards[1] = await _e2e.StartScoringAsync("shard-1", ShardExamples, shards[1].Port);
            var resumedRun = await _e2e.RunOkAsync(["index", corpus, "--json"], spreadEnv);
            log.WriteLine($"resumed without worker 1: {resumedRun}");
            var resumed = resumedRun.Json().GetProperty("result");
            var before = resumed.GetProperty("already_stored").GetInt32();
            log.WriteLine($"resumed: {before} were stored before the kill, {resumed.GetProperty("sent").GetInt32()} sent now");
            // At least two units (of 4 examples at batch size 1) were left, so worker 1 was handed one and retired here.
            Assert.InRange(before, ShardExamples, Examples - 5);
            Assert.Equal(Examples - before, resumed.GetProperty("sent").GetInt32());
            Assert.Equal((ulong)Examples, resumed.GetProperty("store_examples").GetUInt64());
            Assert.Contains($"GradientService worker 1 of 3 at {workers[1].Address} is not serving; the other 2 carry on", resumedRun.Error, StringComparison.Ordinal);
            Assert.Contains($"GradientService worker 1 of 3 at {workers[1].Address} is down", resumedRun.Error, StringComparison.Ordinal);
            Assert.Contains("retired, its work requeued, 2 workers left", resumedRun.Error, StringComparison.Ordinal);

            // A fit whose first worker (worker 1, listed first here) is down goes whole to the next that serves, saying so
            // for each pass, and fits what the single node fitted.
            var firstDown = EndToEndRoot.Environment(string.Join(",", new[] { workers[1], workers[0], workers[2] }.Select(w => w.Address)), shardList);
            var movedRun = await _e2e.RunOkAsync(["fit", "--corpus", corpus, "--factors", "ek-moved", "--json"], firstDown);
            log.WriteLine($"fit with the first worker down: {movedRun}");
            foreach (var pass in new[] { "covariance", "eigenvalue-correction" })
                Assert.Contains($"GradientService worker 0 of 3 at {workers[1].Address} is not serving: EK-FAC fit 'ek-moved', {pass} pass goes to "
                    + $"GradientService worker 1 of 3 at {workers[0].Address} instead", movedRun.Error, StringComparison.Ordinal);
            var moved = movedRun.Json().GetProperty("factors");
            Assert.Equal(2, moved.GetArrayLength());
            for (var i = 0; i < 2; i++)
                foreach (var field in new[] { "phase", "examples", "tokens", "model_fingerprint" })
                    Assert.Equal(singleFit[i].GetProperty(field).GetRawText(), moved[i].GetProperty(field).GetRawText());

            // Worker 1 back: nothing is left to send; every shard holds exactly its partition.
            workers[1].Dispose();
            workers[1] = await ServiceProcess.StartGradientsOnEmbeddedModelAsync(_e2e.File("factors"), workers[1].Port);
            Assert.Equal(0, (await _e2e.RunOkAsync(["index", corpus, "--json"], spreadEnv)).Json().GetProperty("result").GetProperty("sent").GetInt32());
            await EndToEndRoot.AssertEachShardHoldsItsPartitionAsync(shards, ids);

            // Stage 1 dumps and the exactly reranked top lists (stage 2 spread over the three workers) equal the single node's.
            await QueryAsync(spreadEnv, "out-spread");
            Assert.Equal(await File.ReadAllTextAsync(_e2e.File("out-single/scores-held-out.csv")), await File.ReadAllTextAsync(_e2e.File("out-spread/scores-held-out.csv")));
            var expectedTop = EndToEndRoot.TopLists(_e2e.File("out-single/scores-held-out.json"));
            Assert.Equal(4, expectedTop.Count);
            Assert.Equal(expectedTop, EndToEndRoot.TopLists(_e2e.File("out-spread/scores-held-out.json")));

            // Roll-ups: an AggregationService over the single node and one over the three workers and three shards.
            using var aggregationSingle = await _e2e.StartAggregationAsync(workers[0].Address.ToString(), single.Address.ToString());
            using var aggregationSpread = await _e2e.StartAggregationAsync(workerList, shardList);
            var expected = await AggregateAsync(singleEnv, aggregationSingle);
            var actual = await AggregateAsync(spreadEnv, aggregationSpread);
            Assert.Equal(Examples, actual.GetProperty("examples").GetInt32());
            Assert.Equal(expected.GetProperty("tables").GetRawText(), actual.GetProperty("tables").GetRawText());
            Assert.Equal(expected.GetProperty("cross_domain").GetRawText(), actual.GetProperty("cross_domain").GetRawText());
            // A report's token rankings and sequences come from exact token scores that the AggregationService recomputes
            // on the GradientService: over the three workers, its tables equal the single node's.
            var expectedTables = await ReportTablesAsync(singleEnv, aggregationSingle);
            var actualTables = await ReportTablesAsync(spreadEnv, aggregationSpread);
            Assert.NotEmpty(expectedTables);
            Assert.Equal(expectedTables.Keys.Order(StringComparer.Ordinal), actualTables.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, text) in expectedTables) Assert.True(text == actualTables[name], $"report table {name} differs:\n{text}\n---\n{actualTables[name]}");

            // With no worker left, indexing is UNAVAILABLE naming the workers, never a silent success.
            foreach (var worker in workers) worker.KillHard();
            var none = await _e2e.RunAsync(["index", corpus, "--json"], spreadEnv);
            Assert.Equal(ExitCodes.Unavailable, none.ExitCode);
            Assert.Contains("no GradientService worker is serving", EndToEndRoot.Message(none), StringComparison.Ordinal);
            Assert.Contains(workers[2].Address.ToString(), EndToEndRoot.Message(none), StringComparison.Ordinal);
            log.WriteLine($"workers end-to-end test took {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            foreach (var process in workers.Concat(shards)) process?.Dispose();
        }
    }

    // Stage 1 from the full-space preconditioned queries (no store preconditioner), top 5 reranked exactly.
    private async Task QueryAsync(Dictionary<string, string?> env, string output)
    {
        var query = (await _e2e.RunOkAsync(["query", "--queries", "queries.jsonl", "--factors", "ek", "--set", "held-out", "--top-k", "5",
            "--out", _e2e.File(output), "--json"], env)).Json();
        Assert.Equal("EXACT", query.GetProperty("fidelity").GetString());
        Assert.Equal(4, query.GetProperty("queries").GetArrayLength());
    }

    // The report's tables (CSV files) by file name.
    private async Task<Dictionary<string, string>> ReportTablesAsync(Dictionary<string, string?> env, ServiceProcess aggregation)
    {
        var report = (await _e2e.RunOkAsync(["report", "--set", "held-out", "--top-k", "3", "--heat-maps", "1", "--out", _e2e.File("report-" + aggregation.Port), "--json"],
            EndToEndRoot.With(env, aggregation))).Json();
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in report.GetProperty("tables").EnumerateArray().Select(t => t.GetString()!))
            tables[Path.GetFileName(path)] = await File.ReadAllTextAsync(path);
        return tables;
    }

    private async Task<JsonElement> AggregateAsync(Dictionary<string, string?> env, ServiceProcess aggregation) =>
        (await _e2e.RunOkAsync(["aggregate", "--set", "held-out", "--seed", "7", "--out", _e2e.File("aggregate-" + aggregation.Port), "--json"],
            EndToEndRoot.With(env, aggregation))).Json().GetProperty("result");
}
