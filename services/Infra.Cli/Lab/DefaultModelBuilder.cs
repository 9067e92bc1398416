using System.Diagnostics;
using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Lab.Schema;
using Infra.Torch.Evaluation;
using Infra.Torch.Model;
using Infra.Torch.Training;
using static TorchSharp.torch;

namespace Infra.Cli.Lab;

/// <summary>
/// Builds the embedded default model from a seed: the lab corpus (capped to short renderings, balanced over
/// domain x difficulty), a byte-level BPE tokenizer trained on it, a tiny Qwen2 fine-tuned on the responses in the
/// Qwen2.5 chat template, its greedy accuracy on the held-out split, the held-out problems it answers correctly
/// (the query sets the attribution needs), and the checkpoint in bf16.
/// </summary>
internal sealed class DefaultModelBuilder(DefaultModelOptions options, TextWriter output)
{
    private readonly DefaultModelRecipe _recipe = options.Quick ? DefaultModelRecipe.Quick : DefaultModelRecipe.Full;

    public int Run()
    {
        var clock = Stopwatch.StartNew();
        var modelFolder = Path.Combine(options.OutputPath, DefaultModelFiles.Model);
        var generated = CorpusBuilder.Build(new CorpusBuildOptions
        {
            Seed = options.Seed,
            TrainCount = _recipe.GeneratedTrain,
            HeldOutCount = _recipe.GeneratedHeldOut,
            QueriesPerDomain = 0,
        });
        output.WriteLine($"[corpus] generated {generated.Train.Count} train / {generated.HeldOut.Count} held-out problems ({clock.Elapsed.TotalSeconds:F0} s)");

        // The tokenizer learns from exactly what the model will read: the rendered chats of the training split.
        var bpe = BpeTrainer.WriteFolder(modelFolder, generated.Train.Select(Render), new BpeTrainerOptions { VocabSize = _recipe.VocabSize });
        var tokenizer = HfTokenizer.LoadFolder(modelFolder);
        output.WriteLine($"[tokenizer] byte-level BPE, {tokenizer.VocabSize} ids ({bpe.Merges.Count} merges)");

        var train = Encode(generated.Train, tokenizer, _recipe.TrainPerCell);
        var heldOut = Encode(generated.HeldOut, tokenizer, _recipe.HeldOutPerCell).Select(e => e.Example).ToList();
        var corpus = new BuiltCorpus(generated.Options, train.Select(e => e.Example).ToList(), heldOut,
            heldOut.Where(e => e.Domain == ReasoningDomain.Math).ToList(), heldOut.Where(e => e.Domain == ReasoningDomain.Code).ToList());
        WriteCorpus(corpus);
        output.WriteLine($"[corpus] kept {train.Count} train / {heldOut.Count} held-out rendering to <= {_recipe.MaxTokens} tokens, {train.Sum(e => (long)e.Encoded.Ids.Length):N0} training tokens per epoch");

        var eos = tokenizer.TokenToId("<|im_end|>") ?? throw new InvalidOperationException("the trained tokenizer has no <|im_end|>");
        using var model = SeededCheckpoint.Create(_recipe.ModelConfig(tokenizer.VocabSize, eos), options.Seed);
        var parameters = model.parameters().Sum(p => p.numel());
        output.WriteLine($"[model] Qwen2 hidden {_recipe.HiddenSize} x {_recipe.Layers} layers, {parameters:N0} parameters");
        var sft = new SftOptions
        {
            LearningRate = _recipe.LearningRate,
            WarmupSteps = _recipe.WarmupSteps,
            BatchSize = _recipe.BatchSize,
            Epochs = _recipe.Epochs,
            MaxSteps = _recipe.MaxSteps,
            MaxLength = _recipe.MaxTokens,
            Seed = options.Seed,
        };
        var trainClock = Stopwatch.StartNew();
        var result = new SftTrainer(model, sft).Train(
            train.Select(e => SftExample.From(e.Example.Id, e.Encoded)).ToList(), new TrainingProgressPrinter(output, options.Quick ? 1 : 10));
        var trainingSeconds = trainClock.Elapsed.TotalSeconds;
        CheckpointLoader.Save(model, modelFolder, TensorDType.BF16);
        var modelBytes = new FileInfo(Path.Combine(modelFolder, "model.safetensors")).Length;
        output.WriteLine($"[model] saved bf16 checkpoint to {modelFolder} ({modelBytes / 1024.0 / 1024.0:F1} MB)");

        var evalClock = Stopwatch.StartNew();
        var maxNewTokens = _recipe.MaxNewTokens ?? train.Max(e => ResponseTokens(e.Encoded)) + 16;
        // Judge the weights as committed: the bf16 checkpoint read back, not the fp32 ones still in memory.
        using var saved = CheckpointLoader.Load(CheckpointFolder.Open(modelFolder), CPU, ScalarType.Float32);
        var report = Evaluator.Evaluate(saved, tokenizer, heldOut.Select(Item), ChatFormat.Qwen25, maxNewTokens);
        var correct = heldOut.Where(e => report.Items.Single(r => r.Id == e.Id).Correct).ToList();
        WriteQueries(correct);
        var summary = new BuildSummary
        {
            Seed = options.Seed,
            Quick = options.Quick,
            Recipe = _recipe,
            TrainExamples = train.Count,
            HeldOutExamples = heldOut.Count,
            TokenizerVocabSize = tokenizer.VocabSize,
            Parameters = parameters,
            ModelBytes = modelBytes,
            Steps = result.Steps,
            FirstLoss = result.FirstLoss,
            FinalLoss = result.FinalLoss,
            TrainingSeconds = trainingSeconds,
            TokensPerSecond = result.TokensPerSecond,
            EvaluationSeconds = evalClock.Elapsed.TotalSeconds,
            MaxNewTokens = maxNewTokens,
            Evaluation = report,
        };
        AccuracyFiles.Write(summary, options.OutputPath);
        output.Write(File.ReadAllText(Path.Combine(options.OutputPath, DefaultModelFiles.AccuracyMarkdown)));
        output.WriteLine($"[done] {clock.Elapsed.TotalMinutes:F1} min; {correct.Count} correctly answered held-out queries in {options.OutputPath}");
        return 0;
    }

    /// <summary>The text the tokenizer is trained on: the chat as the Qwen2.5 template renders it, default system message.</summary>
    private static string Render(LabExample e) =>
        $"<|im_start|>system\n{ChatTemplateOptions.QwenDefaultSystemMessage}<|im_end|>\n<|im_start|>user\n{e.Prompt}<|im_end|>\n<|im_start|>assistant\n{e.Response}<|im_end|>\n";

    private List<(LabExample Example, EncodedExample Encoded)> Encode(IReadOnlyList<LabExample> split, HfTokenizer tokenizer, int perCell)
    {
        var fitting = split
            .Select(e => (Example: e, Encoded: ChatTemplate.Build(tokenizer, null, e.Prompt, e.Response, ChatFormat.Qwen25)))
            .Where(e => e.Encoded.Ids.Length <= _recipe.MaxTokens);
        return CellBalance.TakePerCell(fitting, e => e.Example, perCell);
    }

    private static int ResponseTokens(EncodedExample encoded) => encoded.LossMask.Count(m => m == 1);

    private static EvaluationItem Item(LabExample e) =>
        new(e.Id, e.Prompt, text => AnswerChecker.Check(e, text).Correct, CorpusFields.DomainName(e.Domain), e.Difficulty);

    private void WriteCorpus(BuiltCorpus corpus)
    {
        var folder = Path.Combine(options.OutputPath, DefaultModelFiles.Corpus);
        CorpusFolder.Write(corpus, folder);
        // A balanced sample the demo can use when the full split is not committed.
        var sample = CellBalance.RoundRobin(corpus.Train, e => (CorpusFields.DomainName(e.Domain), e.Difficulty), 128);
        CorpusWriter.WriteFile(Path.Combine(folder, DefaultModelFiles.TrainSample), sample.Select(LabRecords.ToRecord));
    }

    private void WriteQueries(List<LabExample> correct)
    {
        // The reference solution is the response: a query's gradient is taken on the correct answer.
        CorpusWriter.WriteFile(Path.Combine(options.OutputPath, DefaultModelFiles.MathQueries),
            correct.Where(e => e.Domain == ReasoningDomain.Math).Select(LabRecords.ToRecord));
        CorpusWriter.WriteFile(Path.Combine(options.OutputPath, DefaultModelFiles.CodeQueries),
            correct.Where(e => e.Domain == ReasoningDomain.Code).Select(LabRecords.ToRecord));
    }
}
