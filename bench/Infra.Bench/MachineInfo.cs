using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Infra.Bench;

/// <summary>Where and how the figures were taken. Load averages are recorded because other work on the same cores skews them.</summary>
internal sealed record MachineInfo
{
    public required int Cores { get; init; }
    public required int TorchThreads { get; init; }
    public required int TorchInteropThreads { get; init; }
    public required string Cpu { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public required string Date { get; init; }
    public required bool Quick { get; init; }
    public required string LoadAverageAtStart { get; init; }
    public string? LoadAverageAtEnd { get; init; }
    public double? WallSeconds { get; init; }

    public static MachineInfo Capture(bool quick) => new()
    {
        Cores = Environment.ProcessorCount,
        TorchThreads = torch.get_num_threads(),
        TorchInteropThreads = torch.get_num_interop_threads(),
        Cpu = CpuModel(),
        Os = RuntimeInformation.OSDescription,
        Runtime = RuntimeInformation.FrameworkDescription,
        Date = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        Quick = quick,
        LoadAverageAtStart = LoadAverage(),
    };

    /// <summary>The 1/5/15-minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
