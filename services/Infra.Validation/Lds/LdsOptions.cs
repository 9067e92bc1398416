using System.Text.Json.Serialization;

namespace Infra.Validation.Lds;

/// <summary>
/// The arguments of an LDS run. Everything that changes the numbers is here and is saved in the run folder
/// (<c>run.json</c>), so that a rerun continues only a run made with the same arguments. Defaults are sized so that
/// the ~50 retrainings take about 20 minutes on one busy CPU core.
/// </summary>
public sealed record LdsOptions
{
    /// <summary>Folder with <c>tokenizer.json</c> and <c>tokenizer_config.json</c>. Defaults to <c>models/default/model</c> (relative to the working folder).</summary>
    [JsonIgnore] public string TokenizerFolder { get; init; } = Path.Combine("models", "default", "model");

    /// <summary>Seed of the generated lab corpus. Defaults to 1.</summary>
    public int CorpusSeed { get; init; } = 1;

    /// <summary>Training examples (balanced over domain x difficulty). Defaults to 128.</summary>
    public int TrainExamples { get; init; } = 128;

    /// <summary>Held-out query problems (balanced), measured with their reference answers. Defaults to 32.</summary>
    public int Queries { get; init; } = 32;

    /// <summary>Longest rendered chat kept, in tokens. Defaults to 128.</summary>
    public int MaxTokens { get; init; } = 128;

    /// <summary>Model width. Defaults to 64 (MLP 4x, 4 heads, 2 KV heads).</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Decoder layers; all MLP projections of all layers are tracked. Defaults to 2.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Seed of the initial weights, the same for every model. Defaults to 0.</summary>
    public int InitSeed { get; init; }

    /// <summary>Seed of the data order, the same for every model. Defaults to 0.</summary>
    public int DataSeed { get; init; }

    /// <summary>Optimizer steps of every model (the full-data one and each subset's). Defaults to 64.</summary>
    public int Steps { get; init; } = 64;

    /// <summary>Examples per step. Defaults to 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Peak learning rate (AdamW, warm-up then cosine, as the lab's trainer). Defaults to 3e-3.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Warm-up steps. Defaults to 10.</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>Retrained models, each on its own random subset. Defaults to 50.</summary>
    public int Subsets { get; init; } = 50;

    /// <summary>Share of the training examples in each subset. Defaults to 0.5.</summary>
    public double SubsetFraction { get; init; } = 0.5;

    /// <summary>Seed of the subsets. Defaults to 0.</summary>
    public int SubsetSeed { get; init; }

    /// <summary>
    /// Subsets retrained a second time with another data order (seed <see cref="DataSeed"/> + 1), to measure how much
    /// of f is retraining noise. Defaults to 8.
    /// </summary>
    public int NoiseSubsets { get; init; } = 8;

    /// <summary>Projection sizes <c>k</c> (both sides, capped per layer); the full space is always added. Defaults to 16, 32, 64.</summary>
    public IReadOnlyList<int> ProjectionDims { get; init; } = [16, 32, 64];

    /// <summary>Seed of the projections. Defaults to 0.</summary>
    public ulong ProjectionSeed { get; init; }

    /// <summary>The <c>--quick</c> configuration: a handful of tiny models, under a minute, for tests.</summary>
    public static LdsOptions Quick(string tokenizerFolder) => new()
    {
        TokenizerFolder = tokenizerFolder,
        TrainExamples = 24,
        Queries = 6,
        MaxTokens = 128,
        HiddenSize = 16,
        Layers = 1,
        Steps = 6,
        BatchSize = 4,
        WarmupSteps = 1,
        Subsets = 6,
        NoiseSubsets = 3,
        ProjectionDims = [8],
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        Require(TrainExamples >= 4, nameof(TrainExamples), "must be at least 4");
        Require(Queries >= 1, nameof(Queries), "must be at least 1");
        Require(MaxTokens >= 16, nameof(MaxTokens), "must be at least 16");
        Require(HiddenSize >= 8 && HiddenSize % 4 == 0, nameof(HiddenSize), "must be a multiple of 4, at least 8");
        Require(Layers >= 1, nameof(Layers), "must be positive");
        Require(Steps >= 1, nameof(Steps), "must be positive");
        Require(BatchSize >= 1, nameof(BatchSize), "must be positive");
        Require(LearningRate > 0, nameof(LearningRate), "must be positive");
        Require(Subsets >= 3, nameof(Subsets), "must be at least 3 (a rank correlation over subsets)");
        Require(NoiseSubsets >= 0 && NoiseSubsets <= Subsets, nameof(NoiseSubsets), "must be between 0 and Subsets");
        Require(SubsetFraction is > 0 and < 1, nameof(SubsetFraction), "must be in (0, 1)");
        Require(ProjectionDims.All(k => k > 0), nameof(ProjectionDims), "must be positive");
    }

    private static void Require(bool ok, string name, string what)
    {
        if (!ok) throw new ArgumentException($"LdsOptions.{name} {what}", name);
    }
}
