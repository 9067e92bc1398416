using Infra.Core.Checkpoints;
using Infra.Torch.Model;
using Infra.Torch.Training;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Training;

/// <summary>The trainer learns, ignores zero-weight examples exactly, accumulates exactly, and is reproducible.</summary>
public sealed class SftTrainerTests
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    [Fact]
    public void A_short_run_memorises_eight_sequences()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        var data = TrainingData.Set(8, Vocab, seed: 100);
        var recorder = new TrainingData.Recorder();
        var options = new SftOptions { LearningRate = 1e-2, WarmupSteps = 5, BatchSize = 4, MaxSteps = 80, WeightDecay = 0, Seed = 1 };

        var result = new SftTrainer(model, options).Train(data, recorder);

        Assert.Equal(80, result.Steps);
        Assert.Equal(80, recorder.Reports.Count);
        Assert.Equal(Enumerable.Range(1, 80), recorder.Reports.Select(r => r.Step));
        Assert.All(recorder.Reports, r => Assert.Equal(80, r.TotalSteps));
        Assert.True(recorder.Reports[^1].TokensPerSecond > 0);
        // Random-guess loss is ln(61) ~ 4.1; memorised sequences go far below it.
        Assert.True(result.FirstLoss > 3.5, $"first loss {result.FirstLoss}");
        Assert.True(result.FinalLoss < 0.5, $"final loss {result.FinalLoss}");
    }

    [Fact]
    public void A_single_example_of_weight_zero_leaves_every_parameter_bit_identical()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        var before = TrainingData.Snapshot(model);
        var options = new SftOptions { WarmupSteps = 0, BatchSize = 1, MaxSteps = 3, WeightDecay = 0 };

        var result = new SftTrainer(model, options).Train([TrainingData.Example("zero", 12, 5, Vocab, seed: 7, weight: 0)]);

        Assert.Equal(3, result.Steps);
        Assert.Equal(0, result.FinalLoss);
        TrainingData.AssertIdentical(before, TrainingData.Snapshot(model));
    }

    [Fact]
    public void Adding_an_example_of_weight_zero_gives_exactly_the_parameters_of_training_without_it()
    {
        // Batch 1 with 2 accumulation steps puts A and B in one optimizer step but separate passes, so A's
        // gradient is computed identically and B's adds exact zeros; the normaliser ignores B (weight 0).
        var options = new SftOptions { WarmupSteps = 2, BatchSize = 1, GradientAccumulationSteps = 2, Epochs = 4, Seed = 9 };
        var a = TrainingData.Example("A", 12, 5, Vocab, seed: 7);
        var b = TrainingData.Example("B", 9, 6, Vocab, seed: 8, weight: 0);

        using var withB = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        using var alone = TestModels.Twin(withB);
        var resultWithB = new SftTrainer(withB, options).Train([b, a]);
        var resultAlone = new SftTrainer(alone, options).Train([a]);

        Assert.Equal(4, resultWithB.Steps);
        Assert.Equal(resultAlone.FinalLoss, resultWithB.FinalLoss);
        TrainingData.AssertIdentical(TrainingData.Snapshot(alone), TrainingData.Snapshot(withB));
    }

    [Fact]
    public void Weights_scale_an_example_inside_the_normalised_loss()
    {
        // Weight 2 on one example equals that example given twice (same normaliser, same gradient).
        var options = new SftOptions { WarmupSteps = 0, BatchSize = 4, MaxSteps = 2, Seed = 2 };
        var data = TrainingData.Set(3, Vocab, seed: 40);
        using var weighted = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        using var doubled = TestModels.Twin(weighted);
        new SftTrainer(weighted, options).Train([data[0] with { Weight = 2 }, data[1], data[2]]);
        new SftTrainer(doubled, options).Train([data[0], data[0] with { Id = "copy" }, data[1], data[2]]);

        Assert.True(TrainingData.MaxDifference(TrainingData.Snapshot(weighted), TrainingData.Snapshot(doubled)) < 1e-5);
    }

    [Fact]
    public void Accumulating_k_micro_batches_of_b_equals_one_batch_of_k_times_b()
    {
        var data = TrainingData.Set(8, Vocab, seed: 50);
        var common = new SftOptions { WarmupSteps = 1, Epochs = 3, Seed = 4 };
        using var accumulated = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        using var whole = TestModels.Twin(accumulated);
        var r1 = new SftTrainer(accumulated, common with { BatchSize = 2, GradientAccumulationSteps = 4 }).Train(data);
        var r2 = new SftTrainer(whole, common with { BatchSize = 8, GradientAccumulationSteps = 1 }).Train(data);

        Assert.Equal(3, r1.Steps);
        Assert.Equal(r2.FinalLoss, r1.FinalLoss, 1e-5);
        var difference = TrainingData.MaxDifference(TrainingData.Snapshot(whole), TrainingData.Snapshot(accumulated));
        Assert.True(difference < 1e-5, $"max |diff| {difference}");
    }

    [Fact]
    public void The_same_seed_gives_identical_parameters_and_another_seed_does_not()
    {
        var data = TrainingData.Set(6, Vocab, seed: 60);
        var options = new SftOptions { WarmupSteps = 1, BatchSize = 2, Epochs = 2, Seed = 11 };
        using var initial = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        Dictionary<string, float[]> Run(int seed)
        {
            using var model = TestModels.Twin(initial);
            new SftTrainer(model, options with { Seed = seed }).Train(data);
            return TrainingData.Snapshot(model);
        }

        var first = Run(11);
        TrainingData.AssertIdentical(first, Run(11));
        // A different seed changes the data order, hence the batches and the result.
        Assert.True(TrainingData.MaxDifference(first, Run(12)) > 1e-6);
    }

    [Fact]
    public void Bad_examples_are_refused_and_examples_without_response_are_skipped()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 3);
        var trainer = new SftTrainer(model, new SftOptions { BatchSize = 2, MaxSteps = 1, MaxLength = 6 });
        var good = TrainingData.Example("good", 6, 3, Vocab, seed: 1);
        Assert.Throws<Infra.Torch.Gradients.InvalidExampleException>(() => trainer.Train([good with { Weight = -1 }]));
        Assert.Throws<Infra.Torch.Gradients.InvalidExampleException>(() => trainer.Train([good with { Ids = [1, 2, 99, 4, 5, 6] }]));
        Assert.Throws<ArgumentException>(() => new SftOptions { BatchSize = 0 }.Validate());

        // Its response lies beyond MaxLength: nothing is left to train on.
        var tooLong = TrainingData.Example("long", 12, 3, Vocab, seed: 2);
        Assert.Equal(1, trainer.Train([good, tooLong]).SkippedExamples);
    }
}
