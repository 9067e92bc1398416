using System.Text.Json;
using Infra.Cli.Lab;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;
using Xunit.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>
/// Issue 18's target, through the CLI and the three services as processes: the lab's mixture (math, code, science,
/// chat; MATH level labels and APPS labels mapped to levels, a numeric rating, unlabelled rows, source/explores
/// metadata, the problem/solution layout) is refused with an incomplete mapping before any work, then indexes,
/// rolls up by domain x difficulty and by other columns, reweights by the paper's rule and by a one-column flip,
/// and reports every domain with the mapping used.
/// </summary>
public sealed class AnyCorpusEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const int PerDomain = 7; // the 7th math example has no level: math has an unlabelled row too
    private const int Examples = 4 * PerDomain;
    private static readonly string[] Domains = ["chat", "code", "math", "science"];
    private readonly string _root = Directory.CreateTempSubdirectory("infra-any-corpus-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task A_four_domain_mixture_with_labels_ratings_and_unlabelled_rows_indexes_rolls_up_reweights_and_reports()
    {
        var mixture = Path.Combine(_root, "mixture");
        MixtureCommand.Write(mixture, PerDomain, queries: 1, seed: 18); // what `infra lab mixture` writes
        var corpus = Path.Combine(mixture, MixtureCommand.TrainFile);
        var queries = Path.Combine(mixture, MixtureCommand.QueriesFile);
        var store = Path.Combine(_root, "store");

        using var gradients = await ServiceProcess.StartGradientsOnEmbeddedModelAsync(Path.Combine(_root, "factors"));
        using var scoring = await ServiceProcess.StartAsync("Infra.Scoring", new Dictionary<string, string> { ["Scoring:StorePath"] = store });
        using var aggregation = await ServiceProcess.StartAsync("Infra.Aggregation", new Dictionary<string, string>
        {
            ["Aggregation:ScoringAddress"] = scoring.Address.ToString(),
            ["Aggregation:GradientAddress"] = gradients.Address.ToString(),
            ["Aggregation:OutputRoot"] = _root,
            ["Aggregation:CorpusRoot"] = _root,
        });
        var env = new Dictionary<string, string?>
        {
            ["INFRA_GRADIENTS__ADDRESS"] = gradients.Address.ToString(),
            ["INFRA_SCORING__ADDRESS"] = scoring.Address.ToString(),
            ["INFRA_AGGREGATION__ADDRESS"] = aggregation.Address.ToString(),
            ["INFRA_PROJECTIONDIM"] = "16",
        };
        var read = new[] { "--layout", "problem-solution", "--difficulty-column", "level" };

        // A mapping without APPS's "competition": refused before any work, naming the row, the column and the value.
        var incomplete = "Level 1=1,Level 2=2,Level 3=3,Level 4=4,Level 5=5,introductory=1,interview=3";
        var refused = await CliRun.InvokeAsync(["index", corpus, .. read, "--difficulty-map", incomplete, "--json"], env, _root);
        log.WriteLine(refused.ToString());
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        var message = refused.Json().GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("'level'", message, StringComparison.Ordinal);
        Assert.Contains("\"competition\"", message, StringComparison.Ordinal);
        Assert.Matches(@"(line|row) \d+", message);
        Assert.False(File.Exists(Path.Combine(store, "manifest.json")), "the refused index must not have created the store");

        var mapping = string.Join(",", Infra.Lab.Corpus.Mixture.MixedCorpus.LevelMapping.Select(p => $"{p.Key}={p.Value}"));
        // Two partitions (as an Indexed Job's pods run them) fill one store; the whole corpus then finds nothing to send.
        string[] indexArgs = ["index", corpus, .. read, "--difficulty-map", mapping, "--json"];
        var first = (await RunOkAsync([.. indexArgs, "--partition", "0/2"], env)).Json().GetProperty("result");
        var second = (await RunOkAsync([.. indexArgs, "--partition", "1/2"], env)).Json().GetProperty("result");
        Assert.Equal((ulong)Examples, first.GetProperty("stored").GetUInt64() + second.GetProperty("stored").GetUInt64());
        Assert.InRange(first.GetProperty("sent").GetInt32(), 1, Examples - 1);
        var index = (await RunOkAsync(indexArgs, env)).Json();
        log.WriteLine(index.ToString());
        var indexed = index.GetProperty("result");
        Assert.Equal(0, indexed.GetProperty("sent").GetInt32());
        Assert.Equal((ulong)Examples, indexed.GetProperty("store_examples").GetUInt64());
        Assert.Equal(2 * PerDomain + 1, index.GetProperty("unlabelled").GetInt32()); // science, chat, one math row
        Assert.Contains("'Level 3' -> 3", index.GetProperty("difficulty").GetString(), StringComparison.Ordinal);

        await RunOkAsync(["fit", "--corpus", corpus, "--layout", "problem-solution", "--factors", "ek-full", "--kind", "ekfac", "--name", "ek", "--json"], env);
        var query = (await RunOkAsync(["query", "--queries", queries, "--layout", "problem-solution", "--factors", "ek-full", "--set", "mix", "--top-k", "3", "--out", Path.Combine(_root, "out"), "--json"], env)).Json();
        Assert.Equal(4, query.GetProperty("queries").GetArrayLength());
        var prompt = (await RunOkAsync(["query", "--prompt", "A cart of 3 kg accelerates at 4 m/s^2. What force in newtons acts on it?", "--answer",
            "Force is mass times acceleration.\nF = 3 * 4 = 12 N.\nThe answer is 12.", "--domain", "science", "--set", "one-science", "--top-k", "2",
            "--out", Path.Combine(_root, "out"), "--json"], env)).Json();
        Assert.Equal("science", prompt.GetProperty("queries")[0].GetProperty("domain").GetString());

        // Domain x difficulty (the default): every query domain and training domain, mapped levels, unlabelled rows,
        // and the mapping stated with the numbers.
        var byDifficulty = await AggregateAsync(env, []);
        Assert.Equal(["domain", "difficulty"], Strings(byDifficulty.GetProperty("group_by")));
        Assert.Contains("'competition' -> 5", byDifficulty.GetProperty("difficulty").GetString(), StringComparison.Ordinal);
        Assert.Equal([.. Domains, "all"], byDifficulty.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("query_domain").GetString()!));
        foreach (var table in byDifficulty.GetProperty("tables").EnumerateArray())
        {
            var cells = table.GetProperty("cells").EnumerateArray().ToList();
            var totals = cells.Where(c => c.GetProperty("all_subgroups").GetBoolean()).ToList();
            Assert.Equal(Domains, totals.Select(c => c.GetProperty("group").GetString()!));
            Assert.All(totals, c => Assert.Equal(PerDomain, c.GetProperty("n").GetInt32()));
            var levels = cells.Where(c => !c.GetProperty("all_subgroups").GetBoolean())
                .GroupBy(c => c.GetProperty("group").GetString()!)
                .ToDictionary(g => g.Key, g => Strings(g.Select(c => c.GetProperty("subgroup"))));
            Assert.Equal(["1", "2", "3", "4", "5", "unlabelled"], levels["math"]);
            Assert.Equal(["1", "3", "5"], levels["code"]);
            Assert.Equal(["unlabelled"], levels["science"]);
            Assert.Equal(["unlabelled"], levels["chat"]);
        }

        // Any metadata column, one or two at a time, and the store's own estimate, named as such.
        var bySource = await AggregateAsync(env, ["--group-by", "source"]);
        Assert.Equal(Domains.Select(d => "lab-" + d), bySource.GetProperty("tables")[0].GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("group").GetString()!));
        var byExplores = await AggregateAsync(env, ["--group-by", "domain,explores"]);
        Assert.Equal(Examples, byExplores.GetProperty("tables")[0].GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("all_subgroups").GetBoolean()).Sum(c => c.GetProperty("n").GetInt32()));
        var byRating = await AggregateAsync(env, ["--group-by", "rating"]);
        Assert.Contains(byRating.GetProperty("tables")[0].GetProperty("cells").EnumerateArray(), c => c.GetProperty("group").GetString() == "(none)" && c.GetProperty("n").GetInt32() == 3 * PerDomain);
        var estimated = await AggregateAsync(env, ["--group-by", "estimated_difficulty"]);
        Assert.StartsWith("estimated", estimated.GetProperty("difficulty").GetString(), StringComparison.OrdinalIgnoreCase);
        var unknown = await CliRun.InvokeAsync(["aggregate", "--set", "mix", "--group-by", "no_such_column", "--json"], env, _root);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no_such_column", unknown.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // The paper's literal rule: hard math and easy code up, science and chat (and unlabelled rows) at 1, budgets kept.
        var rule = (await RunOkAsync(["reweight", "--set", "mix", "--strategy", "paper-rule", "--out", _root, "--json"], env)).Json();
        log.WriteLine(rule.ToString());
        var weights = Weights(rule);
        var levelsById = Levels(corpus);
        foreach (var domain in Domains)
            Assert.Equal(PerDomain, weights.Where(w => w.Key.StartsWith(domain, StringComparison.Ordinal)).Sum(w => w.Value), 9);
        Assert.All(weights.Where(w => w.Key.StartsWith("science", StringComparison.Ordinal) || w.Key.StartsWith("chat", StringComparison.Ordinal)), w => Assert.Equal(1.0, w.Value, 9));
        double Mean(string domain, int level) => weights.Where(w => w.Key.StartsWith(domain, StringComparison.Ordinal) && levelsById[w.Key] == level).Average(w => w.Value);
        Assert.True(Mean("math", 5) > Mean("math", 1), "hard math is up-weighted");
        Assert.True(Mean("code", 1) > Mean("code", 5), "easy code is up-weighted");

        // The same rule on the store's own estimate, for corpora without labels: every math example now has a level.
        var estimatedRule = (await RunOkAsync(["reweight", "--set", "mix", "--strategy", "paper-rule", "--group-by", "domain,estimated_difficulty", "--out", _root, "--json"], env)).Json();
        Assert.Contains("estimated difficulty level", estimatedRule.GetProperty("formula").GetString(), StringComparison.Ordinal);
        var estimatedWeights = Weights(estimatedRule);
        Assert.All(estimatedWeights.Where(w => w.Key.StartsWith("science", StringComparison.Ordinal) || w.Key.StartsWith("chat", StringComparison.Ordinal)), w => Assert.Equal(1.0, w.Value, 9));
        Assert.Equal(PerDomain, estimatedWeights.Where(w => w.Key.StartsWith("math", StringComparison.Ordinal)).Sum(w => w.Value), 9);
        Assert.True(estimatedWeights.Where(w => w.Key.StartsWith("math", StringComparison.Ordinal)).Select(w => Math.Round(w.Value, 9)).Distinct().Count() > 1,
            "the estimate spreads math over several levels");

        // The influence-derived flip over a one-column grouping: one cell per domain, weights positive, total kept.
        var flip = (await RunOkAsync(["reweight", "--set", "mix", "--group-by", "domain", "--out", _root, "--json"], env)).Json();
        Assert.Equal(["domain"], Strings(flip.GetProperty("group_by")));
        Assert.Equal(Domains, flip.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("group").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(Examples, flip.GetProperty("weight_sum").GetDouble(), 6);

        // The report shows every domain, the unlabelled rows and the mapping used.
        var report = (await RunOkAsync(["report", "--set", "mix", "--top-k", "3", "--heat-maps", "1", "--out", _root, "--json"], env)).Json();
        var page = await File.ReadAllTextAsync(report.GetProperty("html").GetString()!);
        foreach (var word in Domains.Append("unlabelled").Append("Level 3").Append("competition"))
            Assert.Contains(word, page, StringComparison.Ordinal);
    }

    private async Task<JsonElement> AggregateAsync(Dictionary<string, string?> env, string[] extra)
    {
        var run = await RunOkAsync(["aggregate", "--set", "mix", "--bootstrap", "50", "--out", Path.Combine(_root, "agg"), .. extra, "--json"], env);
        return run.Json().GetProperty("result");
    }

    private static List<string> Strings(JsonElement array) => Strings(array.EnumerateArray());

    private static List<string> Strings(IEnumerable<JsonElement> values) => values.Select(v => v.GetString()!).ToList();

    private static Dictionary<string, double> Weights(JsonElement reweight)
    {
        var path = reweight.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Single(f => Path.GetFileName(f) == "weights.jsonl");
        return File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("weight").GetDouble(), StringComparer.Ordinal);
    }

    // Each example's mapped level from the file itself (0 = no label), for checking the rule's direction.
    private static Dictionary<string, int> Levels(string corpus) =>
        File.ReadLines(corpus).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(
            r => r.GetProperty("id").GetString()!,
            r => r.TryGetProperty("level", out var level) ? Infra.Lab.Corpus.Mixture.MixedCorpus.LevelMapping[level.GetString()!] : 0,
            StringComparer.Ordinal);

    private async Task<CliRun> RunOkAsync(string[] args, Dictionary<string, string?> env)
    {
        var run = await CliRun.InvokeAsync(args, env, _root);
        Assert.True(run.ExitCode == 0, $"infra {string.Join(' ', args)}: {run}");
        return run;
    }
}
