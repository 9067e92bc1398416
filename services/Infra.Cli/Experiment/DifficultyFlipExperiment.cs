using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Infra.Cli.Lab;
using Infra.Contracts.Gradients.V1;
using Infra.Core.IO;
using Infra.Lab.Experiments;
using Infra.Torch.Training;

namespace Infra.Cli.Experiment;

/// <summary>
/// <c>infra experiment difficulty-flip</c>: the paper's experiment in miniature. The influence roll-up of the embedded
/// default model gives per-cell weights; three conditions (baseline, difficulty-flip reweighting, exploration ablation)
/// are trained from scratch with several seeds under the same token budget and evaluated on held-out problems by domain
/// and difficulty. Every step is kept in the run folder, so a rerun or a run killed midway continues where it stopped.
/// </summary>
internal sealed class DifficultyFlipExperiment(ExperimentOptions options, TextWriter output)
{
    public const string ConfigFile = "config.json";
    public const string InfluenceFile = "influence.json";
    public const string WeightsFile = "weights.json";
    public const string ResultsFile = "results.json";
    public const string MarkdownFile = "results.md";

    public async Task<int> RunAsync(CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var config = options.Quick ? ExperimentConfig.QuickRun : ExperimentConfig.FullRun;
        if (options.Seeds is { } seeds) config = config with { Seeds = Enumerable.Range(1, seeds).ToList() };
        if (options.DefaultModelFolder is not { } defaultFolder || !File.Exists(Path.Combine(defaultFolder, DefaultModelFiles.Model, "config.json")))
        {
            await output.WriteLineAsync($"no default model in {options.DefaultModelFolder ?? "(not in a checkout)"}; run `infra lab build-default` first").ConfigureAwait(false);
            return 2;
        }
        if (!PrepareFolder(config)) return 2;

        var corpus = ExperimentCorpus.Build(config, defaultFolder);
        var tokens = corpus.Train.Sum(e => (long)e.LossTokens);
        var ablatedTokens = corpus.Train.Sum(e => (long)e.AblatedLossTokens);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[corpus] {corpus.Train.Count} training problems ({tokens:N0} response tokens; {ablatedTokens:N0} with the exploratory spans of {corpus.Train.Count(e => e.Example.Spans.Count > 0)} stripped), {corpus.Evaluation.Count} held-out to evaluate, {corpus.Queries.Count} influence queries ({clock.Elapsed.TotalSeconds:F0} s)"));

        var modelFolder = Path.Combine(defaultFolder, DefaultModelFiles.Model);
        var influence = await RollupAsync(config, corpus, modelFolder, token).ConfigureAwait(false);
        var (weights, weightRows, budgetError) = Weigh(corpus, influence);
        PrintWeights(weightRows, budgetError);

        var batchOptions = new SftOptions { BatchSize = config.BatchSize, Epochs = config.Epochs, MaxSteps = config.MaxSteps };
        var baseSteps = new SftPlan(corpus.Train.Count, batchOptions).TotalSteps;
        // The ablation sees as many response tokens as the baseline: more steps over its shorter responses.
        var ablationSteps = (int)Math.Round(baseSteps * (double)tokens / ablatedTokens, MidpointRounding.AwayFromZero);
        var data = new Dictionary<ExperimentCondition, (IReadOnlyList<SftExample> Examples, int Steps)>
        {
            [ExperimentCondition.Baseline] = (corpus.Train.Select(e => SftExample.From(e.Example.Id, e.Full)).ToList(), baseSteps),
            [ExperimentCondition.DifficultyFlip] = (corpus.Train.Select((e, i) => SftExample.From(e.Example.Id, e.Full, (float)weights[i])).ToList(), baseSteps),
            [ExperimentCondition.ExplorationAblation] = (corpus.Train.Select(e => SftExample.From(e.Example.Id, e.Ablated)).ToList(), ablationSteps),
        };

        var units = new List<UnitResult>();
        var ranNow = 0;
        var runner = new ConditionRun(config, corpus, output);
        var total = config.Seeds.Count * ExperimentConditions.All.Count;
        var index = 0;
        foreach (var seed in config.Seeds)
        {
            foreach (var condition in ExperimentConditions.All)
            {
                index++;
                var folder = Path.Combine(options.OutputPath, "runs", ExperimentConditions.Name(condition), $"seed-{seed.ToString(CultureInfo.InvariantCulture)}");
                var done = ConditionRun.TryRead(folder);
                if (done is null && options.ReportOnly)
                {
                    output.WriteLine($"[run {index}/{total}] {ExperimentConditions.Name(condition)} seed {seed}: not done (--report-only)");
                    continue;
                }
                if (done is null)
                {
                    output.WriteLine($"[run {index}/{total}] {ExperimentConditions.Name(condition)} seed {seed}: {data[condition].Steps} steps ({clock.Elapsed:hh\\:mm\\:ss} so far)");
                    done = runner.Run(condition, seed, data[condition].Examples, data[condition].Steps, folder, token);
                    ranNow++;
                    units.Add(done);
                    // The tables so far, so that a run stopped early still leaves what it measured.
                    if (units.Count < total) Write(Results(config, corpus, modelFolder, influence, weightRows, budgetError, units, ranNow, total, clock), quiet: true);
                    continue;
                }
                output.WriteLine($"[run {index}/{total}] {ExperimentConditions.Name(condition)} seed {seed}: already done");
                units.Add(options.ReportOnly ? done : runner.Complete(done, folder));
            }
        }

        var results = Results(config, corpus, modelFolder, influence, weightRows, budgetError, units, ranNow, total, clock);
        Write(results, quiet: false);
        output.WriteLine($"[done] {clock.Elapsed.TotalMinutes:F1} min ({ranNow} of {total} runs trained or evaluated now, {units.Count} of {total} complete); results in {Path.Combine(options.OutputPath, ResultsFile)}");
        return 0;
    }

    private ExperimentResults Results(ExperimentConfig config, ExperimentCorpus corpus, string modelFolder, InfluenceRollup influence,
        List<CellWeightRow> weightRows, double budgetError, List<UnitResult> units, int ranNow, int total, Stopwatch clock) => new()
    {
        Config = config,
        Command = "dotnet run -c Release --project services/Infra.Cli -- experiment difficulty-flip" + (options.Quick ? " --quick" : "")
            + (options.Seeds is { } s ? $" --seeds {s}" : ""),
        InfluenceModel = $"{modelFolder} (the embedded default, trained on a superset of this training set with the same corpus recipe)",
        TrainExamples = corpus.Train.Count,
        ExamplesWithExploration = corpus.Train.Count(e => e.Example.Spans.Count > 0),
        LossTokensPerEpoch = corpus.Train.Sum(e => (long)e.LossTokens),
        AblatedLossTokensPerEpoch = corpus.Train.Sum(e => (long)e.AblatedLossTokens),
        EvaluationItems = corpus.Evaluation.Count,
        Influence = influence,
        CellWeights = weightRows,
        BudgetRelativeError = budgetError,
        Budgets = ExperimentConditions.All.Select(ExperimentConditions.Name)
            .Select(c => units.FirstOrDefault(u => u.Condition == c)).OfType<UnitResult>()
            .Select(u => new BudgetRow(u.Condition, u.Steps, u.LossTokens, u.WeightedLossTokens)).ToList(),
        Units = units,
        Accuracy = ExperimentTables.Accuracy(units, corpus.EvaluationCells()),
        LogLikelihood = ExperimentTables.Likelihood(units, corpus.EvaluationCells(), stripped: false),
        StrippedLogLikelihood = ExperimentTables.Likelihood(units, corpus.EvaluationCells(), stripped: true),
        RunsComplete = units.Count,
        RunsPlanned = total,
        UnitsRunNow = ranNow,
        WallSeconds = clock.Elapsed.TotalSeconds,
        ComputeSeconds = influence.Seconds + units.Sum(u => u.TrainingSeconds + u.EvaluationSeconds),
    };

    private void Write(ExperimentResults results, bool quiet)
    {
        AtomicFile.WriteText(Path.Combine(options.OutputPath, ResultsFile), ExperimentJson.Serialize(results), createFolder: true);
        var markdown = ExperimentTables.Markdown(results);
        AtomicFile.WriteText(Path.Combine(options.OutputPath, MarkdownFile), markdown, createFolder: true);
        if (!quiet) output.Write(markdown);
    }

    // A new folder gets config.json; an existing one must have been made with the same configuration.
    private bool PrepareFolder(ExperimentConfig config)
    {
        var path = Path.Combine(options.OutputPath, ConfigFile);
        var json = ExperimentJson.Serialize(config);
        if (File.Exists(path) && File.ReadAllText(path) is var existing && existing != json)
        {
            // A format-1 run folder (camelCase, no version) made with the same configuration resumes, its config.json rewritten.
            if (existing == JsonSerializer.Serialize(config, ExperimentJson.FormatOne))
            {
                AtomicFile.WriteText(path, json, createFolder: true);
                return true;
            }
            if (!options.Overwrite)
            {
                output.WriteLine($"{options.OutputPath} holds a run with other arguments (see its {ConfigFile}); use another --out, or --overwrite to delete it");
                return false;
            }
            output.WriteLine($"[run] --overwrite: deleting {options.OutputPath}, a run with other arguments");
            Directory.Delete(options.OutputPath, recursive: true);
        }
        if (!File.Exists(path)) AtomicFile.WriteText(path, json, createFolder: true);
        return true;
    }

    private async Task<InfluenceRollup> RollupAsync(ExperimentConfig config, ExperimentCorpus corpus, string modelFolder, CancellationToken token)
    {
        var path = Path.Combine(options.OutputPath, InfluenceFile);
        if (File.Exists(path))
        {
            output.WriteLine($"[influence] roll-up already in {path}");
            return ExperimentJson.Read<InfluenceRollup>(path);
        }
        var sample = CellBalance.RoundRobin(corpus.Train, e => (e.Cell.Domain, e.Cell.Difficulty), config.InfluencePerCell * corpus.Train.Select(e => e.Cell).Distinct().Count())
            .Select(e => new Example { Id = e.Example.Id, Prompt = e.Example.Prompt, Response = e.Example.Response, Domain = e.Cell.Domain, Difficulty = e.Cell.Difficulty })
            .ToList();
        // A killed roll-up starts over in a clean work folder (the store would skip what it has, the factors would not).
        var work = Path.Combine(options.OutputPath, "influence");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var rollup = await new InfluenceRollupRunner(modelFolder, work, config.ProjectionDim, output).RunAsync(sample, corpus.Queries, token).ConfigureAwait(false);
        AtomicFile.WriteText(path, ExperimentJson.Serialize(rollup), createFolder: true);
        return rollup;
    }

    private (double[] Weights, List<CellWeightRow> Rows, double BudgetError) Weigh(ExperimentCorpus corpus, InfluenceRollup influence)
    {
        var flip = CellWeighting.Compute(corpus.Train, influence.Cells);
        var lossTokens = corpus.Train.Select(e => e.LossTokens).ToList();
        // DifficultyFlip already keeps every domain's budget; the rescale is a guard (a factor of 1 up to rounding).
        var weights = TokenBudget.Normalise(lossTokens, flip.Examples.Select(w => w.Weight).ToList());
        var total = (double)lossTokens.Sum(n => (long)n);
        var error = Math.Abs(TokenBudget.Weighted(lossTokens, weights) - total) / total;
        var rows = corpus.Train.Select((e, i) => (e, i)).GroupBy(x => x.e.Cell)
            .OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty)
            .Select(g =>
            {
                var cellTokens = g.Sum(x => (long)x.e.LossTokens);
                var cell = flip.Cells.Single(c => c.Domain == g.Key.Domain && c.Difficulty == g.Key.Difficulty);
                return new CellWeightRow(g.Key, g.Count(), cellTokens, cell.MeanInfluence, cell.Z, cell.RawWeight, weights[g.First().i],
                    cellTokens / total, g.Sum(x => weights[x.i] * x.e.LossTokens) / total);
            })
            .ToList();
        AtomicFile.WriteText(Path.Combine(options.OutputPath, WeightsFile), ExperimentJson.Serialize(new { formula = CellWeighting.Formula, budgetRelativeError = error, cells = rows }), createFolder: true);
        return (weights, rows, error);
    }

    private void PrintWeights(List<CellWeightRow> rows, double budgetError)
    {
        foreach (var r in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[weights] {r.Cell,-7} {r.Examples,4} examples, weight {r.Weight:F3}; token share {r.TokenShare:P1} -> {r.WeightedTokenShare:P1}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[weights] sum w_i n_i = sum n_i up to {budgetError:E1} (relative)"));
    }
}
