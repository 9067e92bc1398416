using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Infra.Bench.Scale;

/// <summary>
/// <c>bench scale</c> (issue 14 item 5): measures a few points at real dimensions (each in its own process, so its peak
/// memory is its own) and checks the cost model of docs/scale.md against them: gradient tokens/s, the gradient worker's
/// peak resident memory, and the bytes an example takes in a real store, plus the EK-FAC eigendecomposition time at
/// 0.5B's intermediate size. The machine rates the model needs are measured in the same run. <c>--table</c> prints the
/// cost tables instead.
/// </summary>
internal static class ScaleBenchmark
{
    private const double GiB = 1024.0 * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(Infra.Core.IO.ProjectJson.Options) { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--table"))
            return await CostTable.RunAsync(args.Where(a => a != "--table").ToArray()).ConfigureAwait(false);
        if (!ScaleArguments.TryParse(args, out var arguments, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}\n{ScaleArguments.Usage}").ConfigureAwait(false);
            return 2;
        }
        var log = Console.Error;
        var clock = Stopwatch.StartNew();
        var machine = MachineInfo.Capture(quick: false);
        var rates = MachineRates.Measure(ModelShape.Qwen05B);
        log.WriteLine($"[scale] rates: GEMM {rates.GemmFlops / 1e9:F0}, attention {rates.AttentionFlops / 1e9:F0}, head {rates.HeadFlops / 1e9:F0} GFLOP/s, eigh {rates.EighSecondsPerCube * 1e9:F2} s per 1000³, read {rates.ReadBytesPerSecond / 1e9:F1} GB/s");

        var checks = new List<ScaleCheck>();
        var measured = new List<(string Name, ScalePointResult Point)>();
        double? efficiency = null;
        foreach (var (shapeName, layers, tokens) in arguments.Points)
        {
            var shape = ModelShape.All.Single(s => s.Name == shapeName).WithLayers(layers);
            var point = await MeasurePointAsync(shapeName, layers, tokens, arguments.Reps).ConfigureAwait(false);
            var name = $"{shapeName} dims, {layers} layers, {tokens} tokens{(point.Layerwise ? " (layer-by-layer)" : "")}";
            measured.Add((name, point));
            var workload = new Workload(tokens);
            var seconds = point.Seconds.Order().ElementAt(point.Seconds.Length / 2);
            // The counted FLOPs at the measured kernel rates leave out what is not a GEMM, attention or head kernel (norms,
            // activations, copies, autograd's own work): one efficiency factor, taken from the first point, covers it, and
            // that point is reported as the calibration rather than as a check.
            var ideal = tokens / CostModel.Gradient(shape, workload, point.Layerwise).Seconds(point.Rates);
            efficiency ??= tokens / seconds / ideal;
            checks.Add(new ScaleCheck(name, measured.Count == 1 ? $"gradient tokens/s (calibration: efficiency {efficiency:F2})" : "gradient tokens/s",
                ideal * efficiency.Value, tokens / seconds, "tokens/s") { Calibration = measured.Count == 1 });
            checks.Add(new ScaleCheck(name, "gradient worker peak RSS", CostModel.GradientWorkerBytes(shape, workload) / GiB, point.PeakResidentBytes / GiB, "GiB"));
            checks.Add(new ScaleCheck(name, "store bytes per example (compact)", CostModel.StoreBytesPerExample(shape, workload), point.StoreBytesCompact, "bytes"));
            checks.Add(new ScaleCheck(name, "store bytes per example (token factors)", CostModel.StoreBytesPerExample(shape, workload with { TokenFactors = true }), point.StoreBytesWithTokenFactors, "bytes"));
            log.WriteLine($"[scale] {name}: rates GEMM {point.Rates.GemmFlops / 1e9:F0}, attention {point.Rates.AttentionFlops / 1e9:F0}, head {point.Rates.HeadFlops / 1e9:F0} GFLOP/s; {string.Join(", ", point.Seconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))} s; peak {point.PeakResidentBytes / GiB:F2} GiB");
        }
        // The calibration at d = 2,048 is timed again right before the large one, so both see the same load.
        var eighRate = MachineRates.Measure(ModelShape.Qwen05B, reps: 3, streamingRead: false).EighSecondsPerCube;
        var eigh = EighSeconds(ModelShape.Qwen05B.Intermediate);
        checks.Add(new ScaleCheck($"float64 eigendecomposition d = {ModelShape.Qwen05B.Intermediate} (0.5B's I)", "seconds",
            eighRate * Math.Pow(ModelShape.Qwen05B.Intermediate, 3), eigh, "s"));

        const int stageOneExamples = 2_000;
        var (stageOne, stageOneBytes) = StageOneCheck.Run(ModelShape.Qwen05B, stageOneExamples);
        checks.Add(new ScaleCheck($"stage 1 scan, {stageOneExamples:N0} examples of 0.5B's Ĝ (72 layers, k 64, bf16), 1 query", "seconds",
            stageOneBytes / rates.ReadBytesPerSecond, stageOne, "s"));

        var markdown = Markdown(machine, rates, measured, checks, clock.Elapsed);
        Directory.CreateDirectory(arguments.OutputFolder);
        await File.WriteAllTextAsync(Path.Combine(arguments.OutputFolder, "scale.md"), markdown).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(arguments.OutputFolder, "scale.json"), JsonSerializer.Serialize(new
        {
            format_version = 1,
            machine = machine with { LoadAverageAtEnd = MachineInfo.LoadAverage(), WallSeconds = clock.Elapsed.TotalSeconds },
            rates = new { gemm_flops = rates.GemmFlops, attention_flops = rates.AttentionFlops, head_flops = rates.HeadFlops, eigh_seconds_per_cube = rates.EighSecondsPerCube, read_bytes_per_second = rates.ReadBytesPerSecond },
            checks = checks.Select(c => new { point = c.Point, quantity = c.Quantity, predicted = c.Predicted, measured = c.Measured, unit = c.Unit, ratio = c.Ratio, within = c.Within, calibration = c.Calibration }),
        }, Json)).ConfigureAwait(false);
        Console.Write(markdown);
        return checks.All(c => c.Within || c.Calibration) ? 0 : 1;
    }

    /// <summary>Seconds of one float64 eigendecomposition of a random <paramref name="d"/> x <paramref name="d"/> SPD matrix.</summary>
    internal static double EighSeconds(int d)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.randn(d, d, dtype: TorchSharp.torch.ScalarType.Float64);
        var spd = x.mm(x.t()).add_(TorchSharp.torch.eye(d, dtype: TorchSharp.torch.ScalarType.Float64));
        var clock = Stopwatch.StartNew();
        var (values, vectors) = TorchSharp.torch.linalg.eigh(spd);
        var seconds = clock.Elapsed.TotalSeconds;
        values.Dispose();
        vectors.Dispose();
        return seconds;
    }

    // A child process of this same program, so that the point's peak resident memory is its own.
    private static async Task<ScalePointResult> MeasurePointAsync(string shape, int layers, int tokens, int reps)
    {
        var output = Path.Combine(Path.GetTempPath(), $"infra-scale-point-{Environment.ProcessId}-{shape}-{layers}-{tokens}.json");
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path to start the point's process from");
        var info = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(ScaleBenchmark).Assembly.Location);
        foreach (var a in new[] { "scale-point", "--shape", shape, "--layers", layers.ToString(CultureInfo.InvariantCulture),
                     "--tokens", tokens.ToString(CultureInfo.InvariantCulture), "--reps", reps.ToString(CultureInfo.InvariantCulture), "--out", output })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {self}");
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scale-point {shape}:{layers}:{tokens} exited with {process.ExitCode}");
        try
        {
            return JsonSerializer.Deserialize<ScalePointResult>(await File.ReadAllTextAsync(output).ConfigureAwait(false))
                ?? throw new InvalidOperationException($"scale-point {shape}:{layers}:{tokens} wrote no result");
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string Markdown(MachineInfo machine, MachineRates rates, IReadOnlyList<(string Name, ScalePointResult Point)> points,
        IReadOnlyList<ScaleCheck> checks, TimeSpan wall)
    {
        var s = new StringBuilder();
        s.AppendLine("# Scale: the cost model against measured points");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"CPU: {machine.Cpu}; {machine.Cores} cores; load average at start {machine.LoadAverageAtStart}, at end {MachineInfo.LoadAverage()}; {wall.TotalMinutes:F1} min.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Rates measured in this run: libtorch float32 GEMM {rates.GemmFlops / 1e9:F0} GFLOP/s ([1024, 896] x [896, 4864]); causal attention forward + backward {rates.AttentionFlops / 1e9:F0} GFLOP/s (14 heads x 64, 2,048 tokens); head + cross-entropy {rates.HeadFlops / 1e9:F0} GFLOP/s (1,024 rows, 151,936 vocabulary); float64 eigh {rates.EighSecondsPerCube * 1e9:F2} s per 1000³ (timed at d = 2,048); streaming read {rates.ReadBytesPerSecond / 1e9:F1} GB/s.");
        s.AppendLine();
        s.AppendLine("Each point ran in its own process, which measured the rates at its shape before and after its reps (the prediction uses their mean):");
        s.AppendLine();
        s.AppendLine("| point | GEMM GFLOP/s | attention GFLOP/s | head GFLOP/s | seconds per example (each rep) | peak RSS (GiB) |");
        s.AppendLine("|---|---:|---:|---:|---|---:|");
        foreach (var (name, p) in points)
            s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {p.Rates.GemmFlops / 1e9:F0} | {p.Rates.AttentionFlops / 1e9:F0} | {p.Rates.HeadFlops / 1e9:F0} | {string.Join(", ", p.Seconds.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))} | {p.PeakResidentBytes / GiB:F2} |");
        s.AppendLine();
        s.AppendLine("| point | quantity | predicted | measured | predicted / measured | within 25 % |");
        s.AppendLine("|---|---|---:|---:|---:|:---:|");
        foreach (var c in checks)
            s.AppendLine(CultureInfo.InvariantCulture, $"| {c.Point} | {c.Quantity} ({c.Unit}) | {Format(c.Predicted)} | {Format(c.Measured)} | {c.Ratio:F2} | {(c.Calibration ? "(fitted)" : c.Within ? "yes" : "**no**")} |");
        return s.ToString();
    }

    private static string Format(double value) => Math.Abs(value) >= 1e5
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);
}
