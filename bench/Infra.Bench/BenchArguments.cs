namespace Infra.Bench;

/// <summary>The harness's command line: <c>gradients [--quick] [--only stream] [--out DIR]</c>.</summary>
/// <param name="Quick">Every measurement, shrunk.</param>
/// <param name="OutputFolder">Where gradients.json and gradients.md go.</param>
/// <param name="StreamOnly">Only the loopback stream measurements (<c>--only stream</c>), to iterate on the wire path in seconds.</param>
/// <param name="Device">The stream measurement's torch device (<c>--device cpu|cuda|auto</c>). Defaults to "cpu".</param>
internal sealed record BenchArguments(bool Quick, string OutputFolder, bool StreamOnly = false, string Device = "cpu")
{
    public const string Usage = "usage: Infra.Bench gradients [--quick] [--only stream] [--device cpu|cuda] [--out bench/results] | scoring [--quick] [--big] | ekfac-scale [--layers 2]";

    /// <summary>Default output folder, relative to the working directory (the repository root under <c>dotnet run</c>).</summary>
    public const string DefaultOutputFolder = "bench/results";

    public static bool TryParse(string[] args, out BenchArguments arguments, out string error)
    {
        arguments = new BenchArguments(false, DefaultOutputFolder);
        error = "";
        if (args.Length == 0 || args[0] != "gradients")
        {
            error = "choose a benchmark: 'gradients', 'scoring', 'load' or 'ekfac-scale'";
            return false;
        }
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    arguments = arguments with { Quick = true };
                    break;
                case "--only" when i + 1 < args.Length && args[i + 1] == "stream":
                    arguments = arguments with { StreamOnly = true };
                    i++;
                    break;
                case "--device" when i + 1 < args.Length:
                    arguments = arguments with { Device = args[++i] };
                    break;
                case "--out" when i + 1 < args.Length:
                    arguments = arguments with { OutputFolder = args[++i] };
                    break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'";
                    return false;
            }
        }
        return true;
    }
}
