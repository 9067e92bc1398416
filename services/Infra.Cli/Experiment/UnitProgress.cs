using System.Globalization;
using Infra.Torch.Training;

namespace Infra.Cli.Experiment;

/// <summary>A training line for one (condition, seed) every <paramref name="every"/> steps and at the last.</summary>
internal sealed class UnitProgress(TextWriter output, string name, int every) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Step % every != 0 && value.Step != value.TotalSteps) return;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{name}] step {value.Step}/{value.TotalSteps} loss {value.Loss:F3} {value.TokensPerSecond:F0} tokens/s elapsed {value.Elapsed:mm\\:ss} ETA {value.EstimatedRemaining:mm\\:ss}"));
    }
}
