namespace Infra.Torch.Training;

/// <summary>
/// What a run did: the steps taken by this call (<paramref name="FirstStep"/> to <paramref name="Steps"/>), the loss of
/// its first and last steps, real tokens per second, and examples dropped because nothing was left to train on.
/// </summary>
public sealed record SftResult(int FirstStep, int Steps, double FirstLoss, double FinalLoss, double TokensPerSecond, int SkippedExamples);
