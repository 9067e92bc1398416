using System.Text.Json;
using Infra.Cli.Demo;

namespace Infra.Cli.Tests;

/// <summary>The README's main command, end to end over real gRPC on loopback (both services, the store), on a small corpus.</summary>
public sealed class DemoPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-demo-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Demo_indexes_fits_ekfac_queries_and_shows_exact_scores_reranked_from_every_examples_stage_1_score()
    {
        var options = new DemoOptions
        {
            ModelPath = Path.Combine(_root, "model"),
            OutputPath = Path.Combine(_root, "out"),
            Device = "cpu",
            Examples = 12,
            Queries = 4,
        };
        using var output = new StringWriter();
        Assert.Equal(0, await new DemoPipeline(options, output).RunAsync(CancellationToken.None));

        var log = output.ToString();
        Assert.Contains("[index] 12 examples -> store: 12 stored, 0 already there, 12 in the store", log, StringComparison.Ordinal);
        Assert.Contains("[tokens] ", log, StringComparison.Ordinal);
        Assert.Contains("[ekfac] EigenvalueCorrection: 12 examples", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(options.ModelPath, "model.safetensors")));
        // EK-FAC factors are stored a group of layers per file (issue 14), named by the manifest written last.
        var factors = Path.Combine(options.OutputPath, "factors", "demo");
        Assert.True(File.Exists(Path.Combine(factors, "factors.json")));
        Assert.NotEmpty(Directory.GetFiles(factors, "factors-*.safetensors"));
        Assert.True(File.Exists(Path.Combine(options.OutputPath, "store", "manifest.json")));

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(options.OutputPath, "influence.json")));
        Assert.Equal(1, json.RootElement.GetProperty("format_version").GetInt32());
        var queries = json.RootElement.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(4, queries.Count);
        foreach (var q in queries)
        {
            Assert.Equal("exact", q.GetProperty("fidelity").GetString());
            Assert.Equal(10, q.GetProperty("candidates").GetInt32()); // 30 % of 12, at least k = 10
            var top = q.GetProperty("top").EnumerateArray().ToList();
            var scores = top.Select(s => s.GetProperty("score").GetDouble()).ToList();
            Assert.Equal(10, scores.Count);
            Assert.All(scores, s => Assert.True(double.IsFinite(s)));
            Assert.Equal(scores.OrderByDescending(s => s), scores);
            Assert.All(top, e => Assert.Equal("exact", e.GetProperty("fidelity").GetString()));
            Assert.All(top, e => Assert.True(double.IsFinite(e.GetProperty("approximate_score").GetDouble())));
            Assert.True(q.GetProperty("measurement").GetDouble() < 0);
        }
        Assert.Contains("[tokens] ", log, StringComparison.Ordinal);
        Assert.Contains(", EXACT: ", log, StringComparison.Ordinal);
        Assert.Contains("[ekfac] store (projected) EK-FAC 'ekfac' on 12 examples", log, StringComparison.Ordinal);

        // The read-out through the AggregationService: report, roll-up, reweighted corpus, one Influence call.
        var html = await File.ReadAllTextAsync(Path.Combine(options.OutputPath, "report", "report.html"));
        foreach (var id in new[] { "id=\"domain-difficulty\"", "id=\"top-examples\"", "id=\"token-rankings\"" })
            Assert.Contains(id, html, StringComparison.Ordinal);
        using var rollup = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(options.OutputPath, "aggregate.json")));
        Assert.Equal(1, rollup.RootElement.GetProperty("format_version").GetInt32());
        Assert.Equal("12", rollup.RootElement.GetProperty("examples").GetString()); // proto3 JSON writes uint64 as a string
        Assert.Equal(4, rollup.RootElement.GetProperty("queries").GetInt32());
        var allTable = rollup.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("query_domain").GetString() == "all");
        var perDomain = allTable.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("difficulty").GetInt32() == 0);
        Assert.Equal(12, perDomain.Sum(c => c.GetProperty("statistics").GetProperty("n").GetInt32()));
        var weighted = await File.ReadAllLinesAsync(Path.Combine(options.OutputPath, "reweight", "weighted-corpus.jsonl"));
        Assert.Equal(12, weighted.Length);
        var weights = weighted.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("weight").GetDouble()).ToList();
        Assert.Equal(12, weights.Sum(), 6); // the difficulty flip keeps the budget (equal token counts per example are not assumed: per domain)
        Assert.Contains("[influence] 'What is 17 + 25?' -> model answers", log, StringComparison.Ordinal);

        // A second run reuses the checkpoint and overwrites the factors: same scores (deterministic end to end).
        using var again = new StringWriter();
        Assert.Equal(0, await new DemoPipeline(options, again).RunAsync(CancellationToken.None));
        Assert.DoesNotContain("writing a seeded", again.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 stored, 12 already there", again.ToString(), StringComparison.Ordinal);
        using var second = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(options.OutputPath, "influence.json")));
        Assert.Equal(json.RootElement.ToString(), second.RootElement.ToString());
    }
}
