using Infra.Core.IO;

namespace Infra.Torch.Training;

/// <summary>
/// Written next to each checkpoint (<c>trainer_state.json</c>): the steps done and what fixes the run's
/// trajectory, so a resume with different data or options is refused rather than silently diverging.
/// </summary>
public sealed record SftTrainerState(int Step, int TotalSteps, int ExampleCount, int Seed, int BatchSize, int GradientAccumulationSteps)
{
    /// <summary>The file name inside a checkpoint folder.</summary>
    public const string FileName = "trainer_state.json";

    /// <summary>The format this code writes. Format 1 is the same keys; the files written before it had no format_version.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes the state into <paramref name="folder"/> atomically.</summary>
    public void Write(string folder)
    {
        AtomicFile.WriteText(Path.Combine(folder, FileName), ProjectJson.Serialize(this, FormatVersion));
    }

    /// <summary>Reads the state of a checkpoint folder.</summary>
    /// <exception cref="InvalidOperationException">The folder was not written by <see cref="SftTrainer"/>.</exception>
    public static SftTrainerState Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new InvalidOperationException($"cannot resume from '{folder}': it has no {FileName} (not a checkpoint written by SftTrainer)");
        return ProjectJson.Deserialize<SftTrainerState>(File.ReadAllText(path), FormatVersion, ProjectJson.Options, path)
            ?? throw new InvalidOperationException($"cannot resume from '{folder}': {FileName} is empty");
    }

    /// <summary>Differences in what fixes the trajectory, as "name: saved X, now Y"; empty when a resume is safe.</summary>
    public IReadOnlyList<string> Differences(SftTrainerState now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var list = new List<string>();
        void Check<T>(string name, T saved, T current)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, current)) list.Add($"{name}: saved {saved}, now {current}");
        }
        Check("total steps", TotalSteps, now.TotalSteps);
        Check("example count", ExampleCount, now.ExampleCount);
        Check("seed", Seed, now.Seed);
        Check("batch size", BatchSize, now.BatchSize);
        Check("gradient accumulation steps", GradientAccumulationSteps, now.GradientAccumulationSteps);
        return list;
    }
}
