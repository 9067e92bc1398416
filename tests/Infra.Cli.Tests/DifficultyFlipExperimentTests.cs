using System.Text.Json;
using Infra.Cli.Experiment;
using Infra.Lab.Experiments;

namespace Infra.Cli.Tests;

/// <summary>
/// <c>infra experiment difficulty-flip --quick</c> end to end on the embedded default: complete tables, the token budget
/// invariant, a run killed midway that resumes exactly, a rerun that trains nothing, and a folder of other arguments refused.
/// </summary>
public sealed class DifficultyFlipExperimentTests : IDisposable
{
    private static readonly string[] Domains = ["math", "code"];
    private static readonly string[] SpreadNames = ["mean", "min", "max"];
    private static readonly string[] SharedFiles = [DifficultyFlipExperiment.ConfigFile, DifficultyFlipExperiment.InfluenceFile];
    private readonly string _root = Directory.CreateTempSubdirectory("infra-experiment-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Rewrite<T>(string path)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(ExperimentJson.Read<T>(path), ExperimentJson.FormatOne));
        Assert.DoesNotContain("format_version", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Quick_run_resumes_exactly_and_yields_complete_tables_under_an_equal_token_budget()
    {
        // A run killed during the baseline's third step (after the checkpoint of step 2) ...
        var interrupted = Path.Combine(_root, "interrupted");
        using (var cancel = new CancellationTokenSource())
        using (var watcher = new CancelOnLine("[baseline/seed-1] step 3/", cancel))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(interrupted, watcher, cancel.Token));
        }
        Assert.True(File.Exists(Path.Combine(interrupted, DifficultyFlipExperiment.InfluenceFile)));
        Assert.False(File.Exists(Path.Combine(interrupted, DifficultyFlipExperiment.ResultsFile)));

        // ... continues from that checkpoint.
        using var resumedOutput = new StringWriter();
        Assert.Equal(0, await Run(interrupted, resumedOutput));
        Assert.Contains("[baseline/seed-1] resuming at step 2", resumedOutput.ToString(), StringComparison.Ordinal);
        var resumed = Read(interrupted);

        // An uninterrupted run (sharing the roll-up, which the resumable folder keeps) trains the same models.
        var straight = Path.Combine(_root, "straight");
        Directory.CreateDirectory(straight);
        foreach (var file in SharedFiles)
            File.Copy(Path.Combine(interrupted, file), Path.Combine(straight, file));
        // Shared as format 1 wrote them (camelCase, no format_version): the run accepts its config and reads its roll-up.
        Rewrite<ExperimentConfig>(Path.Combine(straight, DifficultyFlipExperiment.ConfigFile));
        Rewrite<InfluenceRollup>(Path.Combine(straight, DifficultyFlipExperiment.InfluenceFile));
        using (var output = new StringWriter()) Assert.Equal(0, await Run(straight, output));
        var results = Read(straight);
        Assert.Equal(3, results.GetProperty("units_run_now").GetInt32());
        var resumedUnits = resumed.GetProperty("units").EnumerateArray().ToList();
        var straightUnits = results.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(straightUnits.Count, resumedUnits.Count);
        for (var i = 0; i < straightUnits.Count; i++)
        {
            Assert.Equal(straightUnits[i].GetProperty("final_loss").GetDouble(), resumedUnits[i].GetProperty("final_loss").GetDouble(), 5);
            Assert.Equal(straightUnits[i].GetProperty("cells").GetRawText(), resumedUnits[i].GetProperty("cells").GetRawText());
            var straightF = straightUnits[i].GetProperty("log_likelihood").EnumerateArray().Select(c => c.GetProperty("sum").GetDouble()).ToList();
            var resumedF = resumedUnits[i].GetProperty("log_likelihood").EnumerateArray().Select(c => c.GetProperty("sum").GetDouble()).ToList();
            Assert.Equal(straightF.Count, resumedF.Count);
            for (var c = 0; c < straightF.Count; c++) Assert.Equal(straightF[c], resumedF[c], 4);
        }

        // Every condition x (domain x difficulty, domain, all) row, accuracies in [0, 1].
        var rows = results.GetProperty("accuracy").EnumerateArray().ToList();
        foreach (var condition in ExperimentConditions.All.Select(ExperimentConditions.Name))
        {
            foreach (var domain in Domains)
            {
                for (var difficulty = 0; difficulty <= 5; difficulty++)
                    Assert.Single(rows, r => Is(r, condition, domain, difficulty));
            }
            Assert.Single(rows, r => Is(r, condition, "all", 0));
        }
        Assert.Equal(3 * 13, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(r.GetProperty("items").GetInt32() > 0);
            var accuracy = r.GetProperty("accuracy");
            foreach (var name in SpreadNames) Assert.InRange(accuracy.GetProperty(name).GetDouble(), 0, 1);
            Assert.All(r.GetProperty("per_seed").EnumerateArray(), a => Assert.InRange(a.GetDouble(), 0, 1));
        });

        // The held-out log-likelihood table: the same rows; every f is a finite log-probability; a domain's and the
        // overall row pool their cells' problems (an items-weighted mean of the cell rows, per seed).
        var likelihood = results.GetProperty("log_likelihood").EnumerateArray().ToList();
        Assert.Equal(3 * 13, likelihood.Count);
        Assert.All(likelihood, r =>
        {
            Assert.True(r.GetProperty("items").GetInt32() > 0);
            Assert.All(r.GetProperty("per_seed").EnumerateArray(), f => Assert.InRange(f.GetDouble(), -50, 0));
        });
        foreach (var condition in ExperimentConditions.All.Select(ExperimentConditions.Name))
        {
            var cellRows = likelihood.Where(r => r.GetProperty("condition").GetString() == condition && r.GetProperty("difficulty").GetInt32() > 0).ToList();
            var pooled = cellRows.Sum(r => r.GetProperty("items").GetInt32() * r.GetProperty("per_seed")[0].GetDouble()) / cellRows.Sum(r => r.GetProperty("items").GetInt32());
            var all = likelihood.Single(r => Is(r, condition, "all", 0));
            Assert.Equal(pooled, all.GetProperty("per_seed")[0].GetDouble(), 9);
        }
        // Training changes the answers' likelihood, so the conditions' models are told apart by it.
        Assert.NotEqual(
            likelihood.Single(r => Is(r, "baseline", "all", 0)).GetProperty("per_seed")[0].GetDouble(),
            likelihood.Single(r => Is(r, "difficulty-flip", "all", 0)).GetProperty("per_seed")[0].GetDouble());

        // The roll-up says how its cell means were computed: stage 1 scores, approximate (also for a format-1 influence.json).
        Assert.Equal("approximate", results.GetProperty("influence").GetProperty("fidelity").GetString());

        // The budget: sum w n = sum n per epoch, and the reweighted run spends exactly the baseline's tokens.
        Assert.True(results.GetProperty("budget_relative_error").GetDouble() < 1e-9);
        var budgets = results.GetProperty("budgets").EnumerateArray().ToDictionary(b => b.GetProperty("condition").GetString()!);
        var baselineTokens = budgets["baseline"].GetProperty("loss_tokens").GetInt64();
        Assert.Equal(baselineTokens, budgets["baseline"].GetProperty("weighted_loss_tokens").GetDouble(), 6);
        Assert.Equal(baselineTokens, budgets["difficulty-flip"].GetProperty("loss_tokens").GetInt64());
        Assert.Equal(1.0, budgets["difficulty-flip"].GetProperty("weighted_loss_tokens").GetDouble() / baselineTokens, 5); // weights are float32 in SftExample
        Assert.Equal(budgets["baseline"].GetProperty("steps").GetInt32(), budgets["difficulty-flip"].GetProperty("steps").GetInt32());
        // The ablation's shorter responses get more steps: within one step's worth of tokens of the baseline.
        var perStep = (double)baselineTokens / budgets["baseline"].GetProperty("steps").GetInt32();
        Assert.InRange(budgets["exploration-ablation"].GetProperty("loss_tokens").GetInt64(), baselineTokens - perStep, baselineTokens + perStep);
        var weights = results.GetProperty("cell_weights").EnumerateArray().ToList();
        Assert.Equal(10, weights.Count);
        Assert.Equal(1.0, weights.Sum(w => w.GetProperty("weighted_token_share").GetDouble()), 9);

        // The stripped-reference table has the same rows, log-probabilities too.
        var stripped = results.GetProperty("stripped_log_likelihood").EnumerateArray().ToList();
        Assert.Equal(3 * 13, stripped.Count);
        Assert.All(stripped, r => Assert.All(r.GetProperty("per_seed").EnumerateArray(), f => Assert.InRange(f.GetDouble(), -50, 0)));

        // A second invocation trains nothing new and yields the same tables; a result.json from before the stripped
        // measurement existed is completed from the kept model, to the same values.
        var baselineResult = Path.Combine(straight, "runs", "baseline", "seed-1", ConditionRun.ResultFile);
        var legacy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(baselineResult))!.AsObject();
        Assert.True(legacy.Remove("stripped_log_likelihood"));
        File.WriteAllText(baselineResult, legacy.ToJsonString());
        using (var output = new StringWriter())
        {
            Assert.Equal(0, await Run(straight, output));
            Assert.DoesNotContain("step 1/", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("[baseline/seed-1] added the stripped-reference log-likelihood", output.ToString(), StringComparison.Ordinal);
        }
        var again = Read(straight);
        Assert.Equal(0, again.GetProperty("units_run_now").GetInt32());
        Assert.Equal(results.GetProperty("accuracy").GetRawText(), again.GetProperty("accuracy").GetRawText());
        Assert.Equal(results.GetProperty("log_likelihood").GetRawText(), again.GetProperty("log_likelihood").GetRawText());
        var strippedAgain = again.GetProperty("stripped_log_likelihood").EnumerateArray().ToList();
        Assert.Equal(stripped.Count, strippedAgain.Count);
        for (var i = 0; i < stripped.Count; i++)
            Assert.Equal(stripped[i].GetProperty("per_seed")[0].GetDouble(), strippedAgain[i].GetProperty("per_seed")[0].GetDouble(), 6);
        Assert.True(File.Exists(Path.Combine(straight, DifficultyFlipExperiment.MarkdownFile)));

        // A folder made with other arguments is refused without --overwrite.
        using (var output = new StringWriter())
        {
            Assert.Equal(2, await new DifficultyFlipExperiment(new ExperimentOptions { OutputPath = straight, Quick = true, Seeds = 2 }, output).RunAsync(CancellationToken.None));
            Assert.Contains("other arguments", output.ToString(), StringComparison.Ordinal);
        }
    }

    private static Task<int> Run(string folder, TextWriter output, CancellationToken token = default) =>
        new DifficultyFlipExperiment(new ExperimentOptions { OutputPath = folder, Quick = true }, output).RunAsync(token);

    private static JsonElement Read(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, DifficultyFlipExperiment.ResultsFile))).RootElement;

    private static bool Is(JsonElement row, string condition, string domain, int difficulty) =>
        row.GetProperty("condition").GetString() == condition && row.GetProperty("domain").GetString() == domain
        && row.GetProperty("difficulty").GetInt32() == difficulty;

    /// <summary>A writer that cancels <paramref name="cancel"/> when a line containing <paramref name="marker"/> is written.</summary>
    private sealed class CancelOnLine(string marker, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(marker, StringComparison.Ordinal)) cancel.Cancel();
        }
    }
}
