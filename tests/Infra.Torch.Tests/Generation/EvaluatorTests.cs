using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Torch.Evaluation;
using Infra.Torch.Model;
using Infra.Torch.Training;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Generation;

/// <summary>A model trained to answer two prompts is judged correct on them and wrong elsewhere, per domain x difficulty.</summary>
public sealed class EvaluatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-eval-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Trained_answers_are_generated_judged_and_tabulated()
    {
        SeededCheckpoint.Write(_root, TestModels.Qwen2Tiny with { HiddenSize = 64, IntermediateSize = 128 }, seed: 2);
        var tokenizer = HfTokenizer.LoadFolder(_root);
        using var checkpoint = CheckpointFolder.Open(_root);
        using var model = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
        var pairs = new[] { ("2+2=", "4"), ("3*3=", "9") };
        var data = pairs.Select(p => SftExample.From(p.Item1, ChatTemplate.Build(tokenizer, "", p.Item1, p.Item2, ChatFormat.Qwen25))).ToList();
        var trained = new SftTrainer(model, new SftOptions { LearningRate = 1e-2, WarmupSteps = 2, BatchSize = 2, MaxSteps = 60, WeightDecay = 0 }).Train(data);
        Assert.True(trained.FinalLoss < 0.05, $"loss {trained.FinalLoss}");

        var items = new[]
        {
            new EvaluationItem("a", "2+2=", s => s.Trim() == "4", "math", 1),
            new EvaluationItem("b", "3*3=", s => s.Trim() == "9", "math", 2),
            new EvaluationItem("c", "3*3=", s => s.Trim() == "10", "math", 2),
            new EvaluationItem("d", "2+2=", s => s == "5", "code", 1),
        };
        var report = Evaluator.Evaluate(model, tokenizer, items, ChatFormat.Qwen25, maxNewTokens: 8, system: "");

        Assert.Equal(["4", "9", "9", "4"], report.Items.Select(i => i.Generated));
        Assert.All(report.Items, i => Assert.True(i.Stopped));
        Assert.Equal([true, true, false, false], report.Items.Select(i => i.Correct));
        Assert.Equal(
            [new AccuracyCell("code", 1, 1, 0), new AccuracyCell("math", 1, 1, 1), new AccuracyCell("math", 2, 2, 1)],
            report.Table);
        Assert.Equal(0.5, report.Accuracy);
    }

    [Fact]
    public void The_prompt_is_the_template_up_to_the_response()
    {
        SeededCheckpoint.Write(_root, TestModels.Qwen2Tiny, seed: 2);
        var tokenizer = HfTokenizer.LoadFolder(_root);
        var full = ChatTemplate.Build(tokenizer, null, "hi", "yo", ChatFormat.Qwen25);
        var prompt = Evaluator.PromptIds(tokenizer, null, "hi", ChatFormat.Qwen25);
        Assert.Equal(full.Ids[..prompt.Length], prompt);
        Assert.EndsWith("<|im_start|>assistant\n", tokenizer.Decode(prompt), StringComparison.Ordinal);
        Assert.Equal(tokenizer.Encode("hi").Ids, Evaluator.PromptIds(tokenizer, null, "hi", ChatFormat.Plain));
    }
}
