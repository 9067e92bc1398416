using System.Diagnostics;
using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// <c>long</c> (issue 14 item 2): one example of 8,192 tokens (loss on the second half) at Qwen2.5-0.5B's dimensions with
/// <c>--layers</c> decoder layers: tokens/s of <see cref="GradientEngine.Compute"/> (MLP layers, k = 64, token factors +
/// example gradient) and the process's peak resident memory (VmHWM), which is why it runs in a process of its own.
/// </summary>
internal static class LongExampleBenchmark
{
    private const double GiB = 1024.0 * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!CaptureArguments.TryParse(args, CaptureArguments.LongDefaults, out var a, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}\n{CaptureArguments.Usage}").ConfigureAwait(false);
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var log = Console.Error;
        torch.set_num_threads(Environment.ProcessorCount);
        var machine = MachineInfo.Capture(quick: false);
        using var model = SeededCheckpoint.Create(BenchModels.Qwen05BShape(a.Layers) with { MaxPositionEmbeddings = Math.Max(32_768, a.Length) }, seed: 1);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, new ProjectionSpec { KIn = 64, KOut = 64, Seed = 0 }, CPU);
        var computer = new FactorComputer(model, layers);
        var engine = new GradientEngine(computer, projector);
        var example = SyntheticBatch.Create(1, a.Length, model.Config.VocabSize, seed: 7);
        var modelPeak = PeakResidentBytes();
        // The engine recomputes the forward pass layer by layer when the whole graph is estimated over the default budget.
        var sweep = computer.RecomputesLayerwise(example)
            ? $"layer-by-layer recompute (graph estimated at {computer.EstimatedGraphBytes(example) / GiB:F1} GiB, over the {computer.ActivationBudgetBytes / GiB:F0} GiB budget)"
            : "one graph";
        var what = $"Qwen2.5-0.5B shape, {a.Layers} of {BenchModels.Qwen05BLayers} layers, 1x{a.Length} tokens (loss on the second half), {layers.Count} tracked layers, k 64, {sweep}";
        log.WriteLine($"[long] {what}; peak RSS with the model built {modelPeak / GiB:F2} GiB; {a.Reps} reps");

        var timing = Sampler.Interleaved(new Repetitions(0, a.Reps), () => engine.Compute(example))[0];
        var peak = PeakResidentBytes();
        log.WriteLine($"[long] {timing.Median:F1} s per example, peak RSS {peak / GiB:F2} GiB");

        var results = new List<BenchResult>
        {
            BenchResult.Rate("long.engine_tokens_per_s", a.Length, "tokens/s", timing, what),
            new("long.peak_rss_gib", peak / GiB, "GiB") { Note = "VmHWM of this process after the reps" },
            new("long.model_peak_rss_gib", modelPeak / GiB, "GiB") { Note = "VmHWM once the model was built, before any capture" },
        };
        var ratios = new Dictionary<string, double> { ["capture_gib_per_layer"] = (peak - modelPeak) / GiB / a.Layers };
        var report = new BenchReport(machine with { LoadAverageAtEnd = MachineInfo.LoadAverage(), WallSeconds = clock.Elapsed.TotalSeconds }, results, ratios);
        await ReportWriter.WriteAsync(report, a.OutputFolder, $"long-{a.Length}-{a.Layers}layers", "One long example at Qwen2.5-0.5B dimensions").ConfigureAwait(false);
        return 0;
    }

    // VmHWM: the most resident memory this process has held (Linux); 0 elsewhere. "VmHWM:\t 6195016 kB": a tab, then
    // padding spaces only while the number is short.
    private static long PeakResidentBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
