using System.Diagnostics;
using Infra.Cli.Tests.Harness;
using Infra.Core.Store;
using Xunit.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>
/// The issue's "must show": the GradientService and the ScoringService as separate processes on loopback ports, the
/// CLI driving index -> fit -> query on a slice of the embedded corpus; then the same with the ScoringService killed
/// (kill -9) in the middle of indexing and restarted, the rerun of index resuming: the final store (ids, every decoded
/// example gradient and token factor) and the score files are identical to the uninterrupted run; then the
/// AggregationService as a third process and the CLI driving aggregate -> report -> reweight on the registered query set.
/// </summary>
public sealed partial class CliEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const int Examples = 24;
    private const int ShardExamples = 4;
    private readonly EndToEndRoot _e2e = new("infra-cli-e2e-");

    private string Root => _e2e.Path;

    public void Dispose() => _e2e.Dispose();

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Index_fit_query_through_service_processes_and_a_killed_index_resumes_to_the_same_store_and_scores()
    {
        var clock = Stopwatch.StartNew();
        var corpus = Path.Combine(Root, "corpus.jsonl");
        var ids = EmbeddedSlice.WriteCorpus(corpus, Examples);
        var queries = Path.Combine(Root, "queries.jsonl");
        EmbeddedSlice.WriteQueries(queries, perDomain: 2);

        using var gradients = await ServiceProcess.StartGradientsOnEmbeddedModelAsync(Path.Combine(Root, "factors"));
        log.WriteLine($"GradientService up on {gradients.Address} after {clock.Elapsed.TotalSeconds:F1} s");

        // The uninterrupted run. Batch size 1 computes every example alone, so a resumed index (other batch
        // neighbours) computes bit-identical gradients; settings come from the environment as a deployment's would.
        var storeA = Path.Combine(Root, "store-a");
        using (var scoring = await StartScoringAsync(storeA))
        {
            var env = Environment(gradients, scoring);
            var health = await RunOkAsync(["health", "--service", "Gradients", "--service", "Scoring", "--json"], env);
            Assert.True(health.Json().GetProperty("healthy").GetBoolean());

            var index = (await RunOkAsync(["index", corpus, "--json"], env)).Json().GetProperty("result");
            Assert.Equal(Examples, index.GetProperty("sent").GetInt32());
            Assert.Equal((ulong)Examples, index.GetProperty("stored").GetUInt64());
            Assert.Equal((ulong)Examples, index.GetProperty("store_examples").GetUInt64());
            Assert.True(index.GetProperty("tokens").GetInt64() > Examples);

            var rerun = (await RunOkAsync(["index", corpus, "--json"], env)).Json().GetProperty("result");
            Assert.Equal(0, rerun.GetProperty("sent").GetInt32());
            Assert.Equal(Examples, rerun.GetProperty("already_stored").GetInt32());
            log.WriteLine($"uninterrupted index done after {clock.Elapsed.TotalSeconds:F1} s");

            await FitAndQueryAsync(env, corpus, queries, "ek-a", Path.Combine(Root, "out-a"));
        }
        log.WriteLine($"uninterrupted run done after {clock.Elapsed.TotalSeconds:F1} s");

        // The same with the ScoringService killed in the middle of the index.
        var storeB = Path.Combine(Root, "store-b");
        int port;
        using (var scoring = await StartScoringAsync(storeB))
        {
            port = scoring.Port;
            var env = Environment(gradients, scoring);
            var running = CliRun.InvokeAsync(["index", corpus, "--json"], env, Root);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (StoreManifestProbe.CommittedShards(storeB) < 2 && !running.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(10);
            var finishedFirst = running.IsCompleted;
            scoring.KillHard();
            var killed = await running;
            Assert.False(finishedFirst, $"the index finished before the kill; use a larger slice\n{killed}");
            log.WriteLine($"killed mid-index: {killed}");
            Assert.NotEqual(0, killed.ExitCode);
            // The GradientService reports its failed forward; the message names the service the CLI called.
            Assert.StartsWith($"GradientService at {gradients.Address}", killed.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        using (var scoring = await StartScoringAsync(storeB, port))
        {
            var env = Environment(gradients, scoring);
            var resumed = (await RunOkAsync(["index", corpus, "--json"], env)).Json().GetProperty("result");
            var before = resumed.GetProperty("already_stored").GetInt32();
            log.WriteLine($"resumed: {before} were stored before the kill, {resumed.GetProperty("sent").GetInt32()} sent now");
            Assert.InRange(before, 2 * ShardExamples, Examples - 1);
            Assert.Equal(Examples - before, resumed.GetProperty("sent").GetInt32());
            Assert.Equal((ulong)(Examples - before), resumed.GetProperty("stored").GetUInt64());
            Assert.Equal((ulong)Examples, resumed.GetProperty("store_examples").GetUInt64());
            await FitAndQueryAsync(env, corpus, queries, "ek-b", Path.Combine(Root, "out-b"));
            await AggregateReportReweightAsync(gradients, scoring, env, corpus, queries, Path.Combine(Root, "out-b"));
        }
        log.WriteLine($"killed and resumed run done after {clock.Elapsed.TotalSeconds:F1} s");

        AssertSameStore(storeA, storeB, ids);
        foreach (var file in new[] { "scores-held-out.csv", "scores-one.csv" })
        {
            var a = await File.ReadAllTextAsync(Path.Combine(Root, "out-a", file));
            Assert.Equal(a, await File.ReadAllTextAsync(Path.Combine(Root, "out-b", file)));
            Assert.Equal(file == "scores-one.csv" ? Examples + 1 : Examples * 4 + 1, a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        AssertSameTopLists(Path.Combine(Root, "out-a", "scores-held-out.json"), Path.Combine(Root, "out-b", "scores-held-out.json"));
        log.WriteLine($"end-to-end test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    // fit (full-space EK-FAC on the GradientService, projected EK-FAC on the store) -> query (a query-set file with the
    // full-space factors; a single prompt + answer with the projected preconditioner) -> score files.
    private async Task FitAndQueryAsync(Dictionary<string, string?> env, string corpus, string queries, string factors, string output)
    {
        var fit = (await RunOkAsync(["fit", "--corpus", corpus, "--factors", factors, "--kind", "ekfac", "--name", "ek", "--json"], env)).Json();
        Assert.Equal(2, fit.GetProperty("factors").GetArrayLength());
        Assert.All(fit.GetProperty("factors").EnumerateArray(), f => Assert.Equal(Examples, f.GetProperty("examples").GetInt32()));
        Assert.Equal(Examples, fit.GetProperty("preconditioner").GetProperty("examples").GetInt32());

        var query = (await RunOkAsync(["query", "--queries", queries, "--factors", factors, "--set", "held-out", "--top-k", "5", "--out", output, "--json"], env)).Json();
        var results = query.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(4, results.Count);
        Assert.Equal("EXACT", query.GetProperty("fidelity").GetString()); // the top lists are reranked on the GradientService
        foreach (var r in results)
        {
            var top = r.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("score").GetDouble()).ToList();
            Assert.Equal(5, top.Count);
            Assert.Equal(top.OrderByDescending(s => s), top);
            Assert.True(r.GetProperty("measurement").GetDouble() < 0, "f is a mean log-likelihood");
        }
        Assert.True(File.Exists(query.GetProperty("files").GetProperty("json").GetString()));

        var one = await RunOkAsync(["query", "--prompt", "Ana buys 3 pens at $2 each. How many dollars does Ana spend in total?",
            "--answer", "The pens cost 3 * 2 = 6.\nThe answer is 6.", "--id", "pens", "--set", "one", "--preconditioner", "ek", "--out", output], env);
        Assert.Contains("pens", one.Out, StringComparison.Ordinal);
        Assert.Contains("most helpful", one.Out, StringComparison.Ordinal);
    }

    private static void AssertSameStore(string expectedPath, string actualPath, IReadOnlyList<string> ids)
    {
        using var expected = GradientStore.Open(expectedPath);
        using var actual = GradientStore.Open(actualPath);
        Assert.Equal(ids.Count, expected.Count);
        Assert.Equal(ids.Count, actual.Count);
        Assert.Equal(ids.Count, actual.Shards.Sum(s => s.Count));
        Assert.Equal(ids.Order(StringComparer.Ordinal), actual.Shards.SelectMany(s => s.Metadata.Ids).Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            var (es, er) = expected.Locate(id) ?? throw new InvalidOperationException($"{id} missing from the reference store");
            var (a, ar) = actual.Locate(id) ?? throw new InvalidOperationException($"{id} missing from the resumed store");
            Assert.Equal(es.Metadata.ContentHashes[er], a.Metadata.ContentHashes[ar]);
            Assert.Equal(es.ReadTokens(er).TokenIds, a.ReadTokens(ar).TokenIds);
            for (var layer = 0; layer < expected.Schema.Layers.Count; layer++)
            {
                Assert.Equal(es.DecodeExampleGradient(er, layer), a.DecodeExampleGradient(ar, layer));
                var (ei, eg) = es.DecodeTokenFactors(er, layer);
                var (ai, ag) = a.DecodeTokenFactors(ar, layer);
                Assert.Equal(ei, ai);
                Assert.Equal(eg, ag);
            }
        }
    }

    private static void AssertSameTopLists(string expectedPath, string actualPath) =>
        Assert.Equal(EndToEndRoot.TopLists(expectedPath), EndToEndRoot.TopLists(actualPath));

    private Task<ServiceProcess> StartScoringAsync(string store, int? port = null) => _e2e.StartScoringAsync(store, ShardExamples, port);

    private static Dictionary<string, string?> Environment(ServiceProcess gradients, ServiceProcess scoring) =>
        EndToEndRoot.Environment(gradients.Address.ToString(), scoring.Address.ToString());

    private Task<CliRun> RunOkAsync(string[] args, Dictionary<string, string?> env) => _e2e.RunOkAsync(args, env);
}
