namespace Infra.Torch.Training;

/// <summary>
/// Linear warm-up then cosine decay to <c>FinalRatio * Peak</c>. Step <c>s</c> is 0-based: warm-up gives
/// <c>Peak * (s + 1) / WarmupSteps</c> (so the first step already learns, unlike HF's schedule, which starts at 0);
/// afterwards <c>Peak * (r + (1 - r) * (1 + cos(pi * p)) / 2)</c> with <c>p = (s - WarmupSteps) / (TotalSteps - WarmupSteps)</c>.
/// </summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, double FinalRatio)
{
    /// <summary>The schedule <paramref name="options"/> describe over <paramref name="totalSteps"/> steps.</summary>
    public static LearningRateSchedule From(SftOptions options, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.LearningRate, options.WarmupSteps, totalSteps, options.FinalLearningRateRatio);
    }

    /// <summary>The learning rate of 0-based step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps));
        return Peak * (FinalRatio + (1 - FinalRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
