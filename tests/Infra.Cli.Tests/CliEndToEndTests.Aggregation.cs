using System.Globalization;
using System.Text.Json;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;

namespace Infra.Cli.Tests;

/// <summary>
/// The aggregation step of the end-to-end run: the AggregationService as a third process pulling from the running
/// ScoringService, and the CLI driving aggregate -> report -> reweight on the query set that <c>infra query</c> registered.
/// </summary>
public sealed partial class CliEndToEndTests
{
    private async Task AggregateReportReweightAsync(ServiceProcess gradients, ServiceProcess scoring, Dictionary<string, string?> env, string corpus, string queries, string output)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var aggregation = await _e2e.StartAggregationAsync(gradients.Address.ToString(), scoring.Address.ToString());
        var withAggregation = EndToEndRoot.With(env, aggregation);
        log.WriteLine($"AggregationService up on {aggregation.Address} after {clock.Elapsed.TotalSeconds:F1} s");

        // aggregate: every example counted once per query domain, and each cell's mean equal to the roll-up recomputed
        // here from the query command's score file (per example: mean over the domain's queries; per cell: mean of those).
        var aggregate = (await RunOkAsync(["aggregate", "--set", "held-out", "--top-k", "3", "--bootstrap", "200", "--seed", "7", "--out", output, "--json"], withAggregation)).Json();
        var result = aggregate.GetProperty("result");
        Assert.Equal((ulong)Examples, result.GetProperty("examples").GetUInt64());
        var expected = RecomputedRollup(Path.Combine(output, "scores-held-out.csv"), corpus, queries);
        var tables = result.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(["code", "math", "all"], tables.Select(t => t.GetProperty("query_domain").GetString()!).ToList());
        var compared = 0;
        foreach (var table in tables)
        {
            var queryDomain = table.GetProperty("query_domain").GetString()!;
            var cells = table.GetProperty("cells").EnumerateArray().ToList();
            Assert.Equal(Examples, cells.Where(c => c.GetProperty("difficulty").GetInt32() == 0).Sum(c => c.GetProperty("n").GetInt32()));
            Assert.Equal(Examples, cells.Where(c => c.GetProperty("difficulty").GetInt32() != 0).Sum(c => c.GetProperty("n").GetInt32()));
            Assert.Equal(3, table.GetProperty("top").GetArrayLength());
            foreach (var cell in cells)
            {
                var key = (queryDomain, cell.GetProperty("training_domain").GetString()!, cell.GetProperty("difficulty").GetInt32());
                var (n, mean) = expected[key];
                Assert.Equal(n, cell.GetProperty("n").GetInt32());
                var actual = cell.GetProperty("mean").GetDouble();
                Assert.True(Math.Abs(actual - mean) <= 1e-9 * Math.Max(1e-6, Math.Abs(mean)), $"{key}: aggregate mean {actual:R}, recomputed {mean:R}");
                var (low, high) = (cell.GetProperty("ci_low").GetDouble(), cell.GetProperty("ci_high").GetDouble());
                if (n >= 2) Assert.True(low <= actual && actual <= high, $"{key}: CI [{low}, {high}] excludes the mean {actual}");
                compared++;
            }
        }
        Assert.Equal(expected.Count, compared);
        Assert.Equal(compared, result.GetProperty("cross_domain").GetArrayLength());
        var files = aggregate.GetProperty("files");
        Assert.True(File.Exists(files.GetProperty("json").GetString()));
        Assert.Equal(compared + 1, File.ReadAllLines(files.GetProperty("csv").GetString()!).Length);

        var text = await RunOkAsync(["aggregate", "--set", "held-out", "--bootstrap", "50", "--out", output], withAggregation);
        log.WriteLine(text.Out);
        Assert.Contains("cross-domain matrix", text.Out, StringComparison.Ordinal);
        Assert.Contains("influence on math queries", text.Out, StringComparison.Ordinal);

        var firstMath = Attributes(queries).First(q => q.Value.Domain == "math").Key;
        var subset = (await RunOkAsync(["aggregate", "--set", "held-out", "--query-ids", firstMath, "--bootstrap", "50", "--out", Path.Combine(Root, "subset"), "--json"], withAggregation)).Json().GetProperty("result");
        Assert.Equal(1u, subset.GetProperty("queries").GetUInt32());
        Assert.Equal(["math", "all"], subset.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("query_domain").GetString()!).ToList());

        var unknown = await CliRun.InvokeAsync(["aggregate", "--set", "no-such-set", "--out", output, "--json"], withAggregation, Root);
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Contains("no-such-set", unknown.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        log.WriteLine($"aggregate done after {clock.Elapsed.TotalSeconds:F1} s");

        // report: the HTML with its sections, charts and tables on disk.
        var report = (await RunOkAsync(["report", "--set", "held-out", "--top-k", "3", "--heat-maps", "2", "--title", "CLI end-to-end", "--out", output, "--json"], withAggregation)).Json();
        var html = report.GetProperty("html").GetString()!;
        Assert.Equal(Path.Combine(output, "report-held-out"), report.GetProperty("folder").GetString());
        var page = await File.ReadAllTextAsync(html);
        foreach (var section in new[] { "summary", "domain-difficulty", "cross-domain", "token-rankings", "top-examples", "bottom-examples", "top-sequences" })
            Assert.Contains($"<section id=\"{section}\"", page, StringComparison.Ordinal);
        Assert.Contains("CLI end-to-end", page, StringComparison.Ordinal);
        Assert.NotEmpty(report.GetProperty("charts").EnumerateArray());
        Assert.All(report.GetProperty("charts").EnumerateArray().Concat(report.GetProperty("tables").EnumerateArray()), f => Assert.True(File.Exists(f.GetString()), f.GetString()));
        log.WriteLine($"report done after {clock.Elapsed.TotalSeconds:F1} s");

        // reweight (difficulty flip): one weight per example; each training domain keeps its budget (weights sum to its
        // example count, every example counting one); the weighted corpus is the corpus with a weight on every record.
        var reweight = (await RunOkAsync(["reweight", "--set", "held-out", "--corpus", corpus, "--resample", "--seed", "3", "--out", output, "--json"], withAggregation)).Json();
        Assert.Equal(Examples, reweight.GetProperty("examples").GetInt32());
        Assert.Equal(Examples, reweight.GetProperty("weight_sum").GetDouble(), 9);
        var shares = reweight.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(10, shares.Count);
        // With five difficulty cells per domain the flip moves weight between cells: not every cell keeps weight 1.
        Assert.Contains(shares, c => Math.Abs(c.GetProperty("mean_weight").GetDouble() - 1) > 1e-6);
        Assert.Equal(1.0, shares.Sum(c => c.GetProperty("share_before").GetDouble()), 9);
        Assert.Equal(1.0, shares.Sum(c => c.GetProperty("share_after").GetDouble()), 9);
        Assert.Contains("difficulty flip", reweight.GetProperty("formula").GetString(), StringComparison.Ordinal);
        var written = reweight.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.All(written, f => Assert.StartsWith(Path.Combine(output, "reweight-held-out"), f, StringComparison.Ordinal));
        var weighted = written.Single(f => Path.GetFileName(f) == "weighted-corpus.jsonl");
        Assert.Contains(written, f => Path.GetFileName(f) == "resampled-corpus.jsonl");
        var records = File.ReadAllLines(weighted).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var attributes = Attributes(corpus);
        Assert.Equal(attributes.Keys.Order(StringComparer.Ordinal), records.Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        foreach (var domain in records.GroupBy(r => r.GetProperty("domain").GetString()))
            Assert.Equal(domain.Count(), domain.Sum(r => r.GetProperty("weight").GetDouble()), 9);
        Assert.All(records, r => Assert.True(r.GetProperty("weight").GetDouble() > 0));
        var human = await RunOkAsync(["reweight", "--set", "held-out", "--strategy", "top-fraction", "--fraction", "0.25", "--out", output], withAggregation);
        log.WriteLine(human.Out);
        // The table's headers wrap at the 80 columns of a non-terminal console; the formula line does not.
        Assert.Contains("formula top fraction: the 0.25 most influential examples kept", human.Out, StringComparison.Ordinal);
        Assert.Contains("weights.jsonl", human.Out, StringComparison.Ordinal);
        log.WriteLine($"aggregate -> report -> reweight took {clock.Elapsed.TotalSeconds:F1} s");
    }

    // (query domain, training domain, difficulty; 0 = all difficulties) -> (n, mean of the per-example means), with the
    // query domain "all" over every query; built from the score file, the corpus and the query file alone.
    private static Dictionary<(string, string, int), (int N, double Mean)> RecomputedRollup(string scores, string corpus, string queries)
    {
        var examples = Attributes(corpus);
        var queryDomains = Attributes(queries).ToDictionary(kv => kv.Key, kv => kv.Value.Domain, StringComparer.Ordinal);
        var rows = File.ReadAllLines(scores).Skip(1).Select(l => l.Split(','))
            .Select(f => (Example: f[0], Query: f[1], Score: double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(10, examples.Values.Distinct().Count());
        var perExample = new List<(string QueryDomain, string Example, double Mean)>();
        foreach (var group in rows.GroupBy(r => (r.Example, Domain: queryDomains[r.Query])).Concat(rows.GroupBy(r => (r.Example, Domain: "all"))))
            perExample.Add((group.Key.Domain, group.Key.Example, group.Average(r => r.Score)));
        var cells = new Dictionary<(string, string, int), (int, double)>();
        foreach (var byCell in perExample.GroupBy(e => (e.QueryDomain, examples[e.Example].Domain, examples[e.Example].Difficulty)))
            cells[byCell.Key] = (byCell.Count(), byCell.Average(e => e.Mean));
        foreach (var byDomain in perExample.GroupBy(e => (e.QueryDomain, examples[e.Example].Domain, 0)))
            cells[byDomain.Key] = (byDomain.Count(), byDomain.Average(e => e.Mean));
        return cells;
    }

    private static Dictionary<string, (string Domain, int Difficulty)> Attributes(string jsonl) =>
        File.ReadLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => (r.GetProperty("domain").GetString()!, r.GetProperty("difficulty").GetInt32()), StringComparer.Ordinal);
}
