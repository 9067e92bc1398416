using Infra.Core.Checkpoints;

namespace Infra.Torch.Training;

/// <summary>Arguments of a supervised fine-tuning run. Defaults suit the tiny models trained on the CPU.</summary>
public sealed record SftOptions
{
    /// <summary>Peak learning rate. Defaults to 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's first-moment decay. Defaults to 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW's second-moment decay. Defaults to 0.95.</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>AdamW's epsilon. Defaults to 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay, applied to every parameter except norm weights and biases. Defaults to 0.1.</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Steps of linear warm-up from peak/warmup to the peak. Defaults to 10.</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>The learning rate the cosine decay ends at, as a fraction of the peak. Defaults to 0.1.</summary>
    public double FinalLearningRateRatio { get; init; } = 0.1;

    /// <summary>Examples per forward/backward pass (micro-batch). Defaults to 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step. Defaults to 1.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Passes over the data. Defaults to 1. Ignored when <see cref="MaxSteps"/> is set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to take, reshuffling at each epoch boundary; null (the default) runs <see cref="Epochs"/> epochs.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Global gradient-norm clipping threshold; null or 0 disables clipping. Defaults to 1.0.</summary>
    public double? MaxGradientNorm { get; init; } = 1.0;

    /// <summary>Seed of the data order (training draws nothing from libtorch's generator). Defaults to 0.</summary>
    public int Seed { get; init; }

    /// <summary>Longest sequence trained on; longer examples lose their tail. Defaults to 2048.</summary>
    public int MaxLength { get; init; } = 2048;

    /// <summary>
    /// Folder the final checkpoint is written to (a HF folder), with periodic ones under
    /// <c>checkpoint-{step}</c>; null (the default) writes none.
    /// </summary>
    public string? OutputFolder { get; init; }

    /// <summary>Write a checkpoint every this many steps; 0 (the default) only at the end.</summary>
    public int SaveEverySteps { get; init; }

    /// <summary>Folder whose tokenizer files are copied into every checkpoint (usually the base model's); null copies none.</summary>
    public string? TokenizerFolder { get; init; }

    /// <summary>The dtype of saved weights. Defaults to F32, which makes resuming exact.</summary>
    public TensorDType CheckpointDType { get; init; } = TensorDType.F32;

    /// <summary>
    /// A checkpoint written by an earlier run with the same data and options to continue from; the model must
    /// have been loaded from it. Null (the default) starts at step 0.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Checks the values, naming the first bad one.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    public void Validate()
    {
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), "must be positive");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), "must be in [0, 1)");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), "must be in [0, 1)");
        Require(Epsilon > 0, nameof(Epsilon), "must be positive");
        Require(WeightDecay >= 0, nameof(WeightDecay), "must not be negative");
        Require(WarmupSteps >= 0, nameof(WarmupSteps), "must not be negative");
        Require(FinalLearningRateRatio is >= 0 and <= 1, nameof(FinalLearningRateRatio), "must be in [0, 1]");
        Require(BatchSize > 0, nameof(BatchSize), "must be positive");
        Require(GradientAccumulationSteps > 0, nameof(GradientAccumulationSteps), "must be positive");
        Require(Epochs > 0, nameof(Epochs), "must be positive");
        Require(MaxSteps is null or > 0, nameof(MaxSteps), "must be positive when set");
        Require(MaxGradientNorm is null or >= 0, nameof(MaxGradientNorm), "must not be negative");
        Require(MaxLength > 1, nameof(MaxLength), "must be at least 2");
        Require(SaveEverySteps >= 0, nameof(SaveEverySteps), "must not be negative");
    }

    private static void Require(bool ok, string name, string what)
    {
        if (!ok) throw new ArgumentException($"SftOptions.{name} {what}", name);
    }
}
