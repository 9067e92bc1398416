using System.Diagnostics;
using System.Globalization;
using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Core.IO;
using Infra.Lab.Experiments;
using Infra.Torch.Evaluation;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Torch.Training;
using Infra.Validation.Lds;
using static TorchSharp.torch;

namespace Infra.Cli.Experiment;

/// <summary>
/// Trains and evaluates one (condition, seed) in its own folder, resumably: result.json (written atomically, last) marks
/// it done; a finished model/ with its trainer state is only evaluated; otherwise training continues from the newest
/// complete checkpoint under model/checkpoint-* (fp32 weights, AdamW moments, step: exact), or starts from seeded weights.
/// </summary>
internal sealed class ConditionRun(ExperimentConfig config, ExperimentCorpus corpus, TextWriter output)
{
    public const string ResultFile = "result.json";

    /// <summary>The stored result of <paramref name="folder"/>, or null when that run has not finished.</summary>
    public static UnitResult? TryRead(string folder)
    {
        var path = Path.Combine(folder, ResultFile);
        return File.Exists(path) ? ExperimentJson.Read<UnitResult>(path) : null;
    }

    /// <summary>
    /// Runs <paramref name="condition"/> with <paramref name="seed"/> on <paramref name="examples"/> (already in the
    /// condition's form and weights) for <paramref name="steps"/> optimizer steps, in <paramref name="folder"/>.
    /// </summary>
    public UnitResult Run(ExperimentCondition condition, int seed, IReadOnlyList<SftExample> examples, int steps, string folder, CancellationToken token)
    {
        var name = $"{ExperimentConditions.Name(condition)}/seed-{seed.ToString(CultureInfo.InvariantCulture)}";
        var modelFolder = Path.Combine(folder, "model");
        var options = new SftOptions
        {
            LearningRate = config.LearningRate,
            WarmupSteps = config.WarmupSteps,
            BatchSize = config.BatchSize,
            MaxSteps = steps,
            MaxLength = config.MaxTokens,
            Seed = seed,
            OutputFolder = modelFolder,
            SaveEverySteps = config.SaveEverySteps,
        };
        var (lossTokens, weighted) = Budget(examples, options);
        var trainClock = Stopwatch.StartNew();
        Qwen2ForCausalLM model;
        int resumedAt = 0;
        double firstLoss = double.NaN, finalLoss = double.NaN;
        if (File.Exists(Path.Combine(modelFolder, SftTrainerState.FileName)))
        {
            output.WriteLine($"[{name}] trained model found; evaluating only");
            model = CheckpointLoader.Load(CheckpointFolder.Open(modelFolder), CPU, ScalarType.Float32);
        }
        else
        {
            var latest = LatestCheckpoint(modelFolder);
            var eos = corpus.Tokenizer.TokenToId("<|im_end|>") ?? throw new InvalidOperationException("the tokenizer has no <|im_end|>");
            model = latest is null
                ? SeededCheckpoint.Create(config.ModelConfig(corpus.Tokenizer.VocabSize, eos), seed)
                : CheckpointLoader.Load(CheckpointFolder.Open(latest), CPU, ScalarType.Float32);
            if (latest is not null)
            {
                resumedAt = SftTrainerState.Read(latest).Step;
                output.WriteLine($"[{name}] resuming at step {resumedAt} from {latest}");
            }
            var result = new SftTrainer(model, options with { ResumeFrom = latest })
                .Train(examples, new UnitProgress(output, name, config.Quick ? 1 : 25), token);
            (firstLoss, finalLoss) = (result.FirstLoss, result.FinalLoss);
        }
        var trainingSeconds = trainClock.Elapsed.TotalSeconds;

        var evalClock = Stopwatch.StartNew();
        EvaluationReport report;
        IReadOnlyList<LikelihoodCell> likelihood, stripped;
        using (model)
        using (no_grad())
        {
            model.eval();
            report = Evaluator.Evaluate(model, corpus.Tokenizer, corpus.EvaluationItems(), ChatFormat.Qwen25, config.MaxNewTokens);
            likelihood = Likelihood(model, corpus.EvaluationReferences(stripped: false));
            stripped = Likelihood(model, corpus.EvaluationReferences(stripped: true));
        }
        var unit = new UnitResult
        {
            Condition = ExperimentConditions.Name(condition),
            Seed = seed,
            Steps = steps,
            LossTokens = lossTokens,
            WeightedLossTokens = weighted,
            ResumedAtStep = resumedAt,
            FirstLoss = firstLoss,
            FinalLoss = finalLoss,
            TrainingSeconds = trainingSeconds,
            EvaluationSeconds = evalClock.Elapsed.TotalSeconds,
            Cells = report.Table,
            LogLikelihood = likelihood,
            StrippedLogLikelihood = stripped,
        };
        AtomicFile.WriteText(Path.Combine(folder, ResultFile), ExperimentJson.Serialize(unit), createFolder: true);
        // The periodic checkpoints only serve resuming; the final model stays for inspection.
        foreach (var checkpoint in Directory.Exists(modelFolder) ? Directory.GetDirectories(modelFolder, "checkpoint-*") : [])
            Directory.Delete(checkpoint, recursive: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{name}] held-out accuracy {report.Accuracy:P1} ({report.Items.Count(i => i.Correct)}/{report.Items.Count}), answer log-likelihood {likelihood.Sum(c => c.Sum) / likelihood.Sum(c => c.Items):F4}; trained {trainingSeconds:F0} s, evaluated {unit.EvaluationSeconds:F0} s"));
        return unit;
    }

    /// <summary>
    /// Completes a result.json written before <see cref="UnitResult.StrippedLogLikelihood"/> existed, from the final model
    /// kept in <paramref name="folder"/>; returns <paramref name="done"/> unchanged when it has it or the model is gone.
    /// </summary>
    public UnitResult Complete(UnitResult done, string folder)
    {
        var modelFolder = Path.Combine(folder, "model");
        if (done.StrippedLogLikelihood is not null || !File.Exists(Path.Combine(modelFolder, SftTrainerState.FileName))) return done;
        using var model = CheckpointLoader.Load(CheckpointFolder.Open(modelFolder), CPU, ScalarType.Float32);
        var completed = done with { StrippedLogLikelihood = Likelihood(model, corpus.EvaluationReferences(stripped: true)) };
        AtomicFile.WriteText(Path.Combine(folder, ResultFile), ExperimentJson.Serialize(completed), createFolder: true);
        output.WriteLine($"[{done.Condition}/seed-{done.Seed.ToString(CultureInfo.InvariantCulture)}] added the stripped-reference log-likelihood from the kept model");
        return completed;
    }

    // The measurement f the influence scores predict (as `infra validate lds` measures it), on every held-out reference.
    private List<LikelihoodCell> Likelihood(Qwen2ForCausalLM model, IReadOnlyList<TokenizedExample> references)
    {
        var f = Measurement.MeanAnswerLogLikelihood(model, references);
        return corpus.Evaluation.Select((e, i) => (Cell: ExperimentCorpus.CellOf(e), F: f[i]))
            .GroupBy(x => x.Cell)
            .OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty)
            .Select(g => new LikelihoodCell(g.Key.Domain, g.Key.Difficulty, g.Count(), g.Sum(x => x.F)))
            .ToList();
    }

    /// <summary>Loss tokens and weighted loss tokens the trainer's plan will feed, counted step by step.</summary>
    public static (long Tokens, double Weighted) Budget(IReadOnlyList<SftExample> examples, SftOptions options)
    {
        var plan = new SftPlan(examples.Count, options);
        long tokens = 0;
        double weighted = 0;
        for (var step = 0; step < plan.TotalSteps; step++)
        {
            foreach (var i in plan.ExamplesOf(step))
            {
                tokens += examples[i].LossTokens;
                weighted += (double)examples[i].Weight * examples[i].LossTokens;
            }
        }
        return (tokens, weighted);
    }

    private static string? LatestCheckpoint(string modelFolder) =>
        Directory.Exists(modelFolder)
            ? Directory.GetDirectories(modelFolder, "checkpoint-*")
                .Where(d => File.Exists(Path.Combine(d, SftTrainerState.FileName)))
                .OrderBy(d => d, StringComparer.Ordinal)
                .LastOrDefault()
            : null;
}
