namespace Infra.Torch.Training;

/// <summary>
/// Reported after every optimizer step. <paramref name="Loss"/> is the step's normalised weighted loss (see
/// <see cref="SftTrainer"/>); <paramref name="TokensPerSecond"/> counts real (non-padding) tokens over the run so far.
/// </summary>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    int Epoch,
    double Loss,
    double LearningRate,
    double GradientNorm,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining);
