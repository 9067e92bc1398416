using System.Globalization;
using Infra.Torch.Training;

namespace Infra.Cli.Lab;

/// <summary>Prints a training line every <paramref name="every"/> steps and at the last one.</summary>
internal sealed class TrainingProgressPrinter(TextWriter output, int every) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Step % every != 0 && value.Step != value.TotalSteps) return;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[train] step {value.Step}/{value.TotalSteps} epoch {value.Epoch + 1} loss {value.Loss:F3} lr {value.LearningRate:G3} " +
            $"|g| {value.GradientNorm:F2} {value.TokensPerSecond:F0} tokens/s elapsed {value.Elapsed:mm\\:ss} ETA {value.EstimatedRemaining:mm\\:ss}"));
    }
}
