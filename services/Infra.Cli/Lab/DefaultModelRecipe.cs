using Infra.Core.Checkpoints;

namespace Infra.Cli.Lab;

/// <summary>
/// The sizes of one build: corpus, tokenizer, model and run. <see cref="Full"/> is sized so the whole build fits in
/// about 25 minutes on two busy CPU cores; <see cref="Quick"/> runs in seconds, for tests.
/// </summary>
internal sealed record DefaultModelRecipe
{
    /// <summary>Training examples generated before the length cap (the cap drops some of the long code traces).</summary>
    public required int GeneratedTrain { get; init; }

    /// <summary>Held-out examples generated before the length cap.</summary>
    public required int GeneratedHeldOut { get; init; }

    /// <summary>Training examples kept per domain x difficulty cell after the cap.</summary>
    public required int TrainPerCell { get; init; }

    /// <summary>Held-out examples kept per cell after the cap.</summary>
    public required int HeldOutPerCell { get; init; }

    /// <summary>Longest rendered chat (system + prompt + response) kept, in tokens.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>Tokenizer vocabulary: bytes + merges + the three special tokens.</summary>
    public required int VocabSize { get; init; }

    public required int HiddenSize { get; init; }

    public required int Layers { get; init; }

    public required int Epochs { get; init; }

    /// <summary>Caps the run's optimizer steps (quick runs); null trains <see cref="Epochs"/> epochs.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Most tokens generated per held-out problem; null allows the longest training response plus 16.</summary>
    public int? MaxNewTokens { get; init; }

    public required int BatchSize { get; init; }

    public required double LearningRate { get; init; }

    public required int WarmupSteps { get; init; }

    /// <summary>
    /// A Qwen2 of <see cref="HiddenSize"/> x <see cref="Layers"/>: 4 heads, 2 KV heads, 4x MLP, tied embeddings,
    /// rope theta 1e6 as Qwen2.5; vocab and EOS set by the caller from the trained tokenizer.
    /// </summary>
    public HfModelConfig ModelConfig(int vocabSize, int eosTokenId) => LabModelShape.Qwen2(HiddenSize, Layers, vocabSize, eosTokenId, "bfloat16");

    /// <summary>The recipe of the committed default model.</summary>
    public static DefaultModelRecipe Full { get; } = new()
    {
        // 3 epochs of ~3,000 examples reached only 6 % held-out accuracy; more distinct problems help more than more passes.
        GeneratedTrain = 8000, // the code difficulty-4 templates run out of distinct problems just above 900 per cell
        GeneratedHeldOut = 600,
        TrainPerCell = 600,
        HeldOutPerCell = 40,
        MaxTokens = 256,
        VocabSize = 1536,
        HiddenSize = 128,
        Layers = 4,
        Epochs = 3,
        BatchSize = 16,
        LearningRate = 2e-3,
        WarmupSteps = 30,
    };

    /// <summary>Seconds-long: a few dozen examples, a 2-layer hidden-32 model, a handful of steps.</summary>
    public static DefaultModelRecipe Quick { get; } = new()
    {
        GeneratedTrain = 60,
        GeneratedHeldOut = 20,
        TrainPerCell = 6,
        HeldOutPerCell = 2,
        // The quick tokenizer has few merges, so renderings are long; a looser cap keeps every cell.
        MaxTokens = 768,
        VocabSize = 320,
        HiddenSize = 32,
        Layers = 2,
        Epochs = 1,
        MaxSteps = 4,
        // An untrained model rarely stops, so generation would run to the cap on every problem.
        MaxNewTokens = 24,
        BatchSize = 8,
        LearningRate = 2e-3,
        WarmupSteps = 1,
    };
}
