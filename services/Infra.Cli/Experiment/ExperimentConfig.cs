using Infra.Core.Checkpoints;

namespace Infra.Cli.Experiment;

/// <summary>
/// Everything that determines a difficulty-flip run's results. A run folder keeps it as config.json and refuses to
/// continue under a different one (unless overwritten). <see cref="FullRun"/> is sized for the whole run (3 conditions x
/// 3 seeds) in under an hour on two heavily shared CPU cores; <see cref="QuickRun"/> finishes in seconds, for tests.
/// </summary>
internal sealed record ExperimentConfig
{
    /// <summary>Seed of the lab corpus: the embedded default's (20250525), so the training examples are ones it was trained on.</summary>
    public int CorpusSeed { get; init; } = 20250525;

    /// <summary>Training problems generated before the length cap; the default's 8,000 (fewer keeps a prefix of each cell).</summary>
    public required int GeneratedTrain { get; init; }

    /// <summary>Held-out problems generated; the default's 600, so the held-out split is the default's.</summary>
    public int GeneratedHeldOut { get; init; } = 600;

    /// <summary>Longest rendered chat kept, in tokens of the default's tokenizer (the default's cap).</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Training examples per domain x difficulty cell (cells with fewer short problems keep what they have).</summary>
    public required int TrainPerCell { get; init; }

    /// <summary>Held-out problems evaluated per cell: the default's held-out split minus the influence queries.</summary>
    public required int EvalPerCell { get; init; }

    /// <summary>Training examples per cell whose influence the default model's roll-up measures.</summary>
    public required int InfluencePerCell { get; init; }

    /// <summary>Most influence queries per domain (the default's correctly answered held-out problems); null takes all.</summary>
    public int? QueriesPerDomain { get; init; }

    /// <summary>Projected dims k_in = k_out of the stored gradients.</summary>
    public int ProjectionDim { get; init; } = 32;

    public required int HiddenSize { get; init; }

    public required int Layers { get; init; }

    public required int BatchSize { get; init; }

    public required int Epochs { get; init; }

    /// <summary>Caps the baseline's optimizer steps (quick runs); null trains <see cref="Epochs"/> epochs.</summary>
    public int? MaxSteps { get; init; }

    public required double LearningRate { get; init; }

    public required int WarmupSteps { get; init; }

    /// <summary>Most tokens generated per held-out problem.</summary>
    public required int MaxNewTokens { get; init; }

    /// <summary>Seeds of the initial weights and the data order, one trained model per condition and seed.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>A resumable checkpoint every this many steps.</summary>
    public required int SaveEverySteps { get; init; }

    /// <summary>How the cell weights are computed from the influence roll-up (recorded so a change of formula is a different run).</summary>
    public string WeightFormula { get; init; } = CellWeighting.Formula;

    /// <summary>Whether this is the seconds-long test configuration.</summary>
    public bool Quick { get; init; }

    /// <summary>A Qwen2 of <see cref="HiddenSize"/> x <see cref="Layers"/>, shaped like the lab's (4 heads, 2 KV heads, 4x MLP, tied embeddings).</summary>
    public HfModelConfig ModelConfig(int vocabSize, int eosTokenId) => new()
    {
        ModelType = "qwen2",
        HiddenSize = HiddenSize,
        IntermediateSize = 4 * HiddenSize,
        NumHiddenLayers = Layers,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        VocabSize = vocabSize,
        MaxPositionEmbeddings = 1024,
        RopeTheta = 1_000_000,
        TieWordEmbeddings = true,
        TorchDtype = "float32",
        EosTokenId = eosTokenId,
    };

    /// <summary>
    /// The measured run: ~800 training problems, a 2-layer hidden-64 Qwen2, 2 epochs, 3 seeds, ~120 held-out problems.
    /// Sized for two CPU cores shared with other builds (load ~40 when it was run); the influence sample (60 per cell)
    /// is the first 60 of each cell whatever <see cref="TrainPerCell"/> (>= 60) is.
    /// </summary>
    public static ExperimentConfig FullRun { get; } = new()
    {
        GeneratedTrain = 8000,
        TrainPerCell = 80,
        EvalPerCell = 12,
        InfluencePerCell = 60,
        HiddenSize = 64,
        Layers = 2,
        BatchSize = 16,
        Epochs = 2,
        LearningRate = 4e-3,
        WarmupSteps = 10,
        MaxNewTokens = 160,
        Seeds = [1, 2, 3],
        SaveEverySteps = 25,
    };

    /// <summary>Seconds-long: 4 examples per cell, a hidden-32 model, one epoch of 5 steps, one seed.</summary>
    public static ExperimentConfig QuickRun { get; } = new()
    {
        GeneratedTrain = 200,
        TrainPerCell = 4,
        EvalPerCell = 2,
        InfluencePerCell = 2,
        QueriesPerDomain = 3,
        ProjectionDim = 16,
        HiddenSize = 32,
        Layers = 2,
        BatchSize = 8,
        // One whole epoch (5 steps of 8): the reweighted run's weighted tokens then equal the baseline's exactly.
        Epochs = 1,
        LearningRate = 2e-3,
        WarmupSteps = 1,
        MaxNewTokens = 16,
        Seeds = [1],
        SaveEverySteps = 2,
        Quick = true,
    };
}
