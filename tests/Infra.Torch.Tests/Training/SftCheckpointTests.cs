using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Torch.Model;
using Infra.Torch.Training;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Training;

/// <summary>Checkpoints load back as HF folders with the same logits, carry the tokenizer, and resume exactly.</summary>
public sealed class SftCheckpointTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-sft-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (string Base, HfModelConfig Config) Base()
    {
        var folder = Path.Combine(_root, "base");
        var config = SeededCheckpoint.Write(folder, TestModels.Qwen2Tiny, seed: 4);
        return (folder, config);
    }

    private static Qwen2ForCausalLM Load(string folder)
    {
        using var checkpoint = CheckpointFolder.Open(folder);
        return CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
    }

    [Fact]
    public void The_final_checkpoint_loads_back_with_identical_logits_and_the_tokenizer()
    {
        var (baseFolder, config) = Base();
        var output = Path.Combine(_root, "out");
        var data = TrainingData.Set(4, config.VocabSize, seed: 70);
        using var model = Load(baseFolder);
        new SftTrainer(model, new SftOptions { BatchSize = 2, Epochs = 2, OutputFolder = output, TokenizerFolder = baseFolder }).Train(data);

        using var loaded = Load(output);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 5, 70, 200, 9, 258, 31 }, [1, 6]);
        Assert.Equal(TestModels.ToArray(model.call(ids)), TestModels.ToArray(loaded.call(ids)));
        var tokenizer = HfTokenizer.LoadFolder(output);
        Assert.Equal(config.EosTokenId, tokenizer.EosTokenId);
        Assert.Equal(4, SftTrainerState.Read(output).Step);
    }

    [Fact]
    public void Resuming_from_a_periodic_checkpoint_continues_exactly_as_the_uninterrupted_run()
    {
        var (baseFolder, config) = Base();
        var data = TrainingData.Set(6, config.VocabSize, seed: 80);
        var options = new SftOptions { BatchSize = 2, Epochs = 2, WarmupSteps = 2, Seed = 5, SaveEverySteps = 2, OutputFolder = Path.Combine(_root, "full") };
        using var straight = Load(baseFolder);
        new SftTrainer(straight, options).Train(data);
        var periodic = Path.Combine(_root, "full", "checkpoint-000004");
        Assert.Equal(4, SftTrainerState.Read(periodic).Step);

        using var resumed = Load(periodic);
        var result = new SftTrainer(resumed, options with { ResumeFrom = periodic, OutputFolder = null }).Train(data);

        Assert.Equal(4, result.FirstStep);
        Assert.Equal(6, result.Steps);
        TrainingData.AssertIdentical(TrainingData.Snapshot(straight), TrainingData.Snapshot(resumed));
    }

    [Fact]
    public void Resuming_with_different_data_or_options_is_refused()
    {
        var (baseFolder, config) = Base();
        var data = TrainingData.Set(6, config.VocabSize, seed: 80);
        var output = Path.Combine(_root, "run");
        using var model = Load(baseFolder);
        new SftTrainer(model, new SftOptions { BatchSize = 2, Seed = 5, OutputFolder = output }).Train(data);

        using var again = Load(output);
        var error = Assert.Throws<InvalidOperationException>(() =>
            new SftTrainer(again, new SftOptions { BatchSize = 3, Seed = 5, ResumeFrom = output }).Train(data));
        Assert.Contains("batch size: saved 2, now 3", error.Message, StringComparison.Ordinal);
    }
}
