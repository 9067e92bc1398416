using System.Diagnostics;
using System.Globalization;
using System.Text;
using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench.Scale;

/// <summary>
/// <c>device-rate --device cuda --dtype bfloat16 --points 0.5B:24:2048:4,1.5B:28:2048:4,7B:8:2048:2 [--reps 3] [--out DIR]</c>:
/// the indexing engine's own gradient pass (<see cref="GradientEngine.Compute"/>, MLP layers at k = 64 as
/// <c>infra index</c> does by default, loss on the second half) at real model dimensions on one device, timed per batch, and
/// turned into the effective rate the cost model needs: its FLOP count of the same work (<see cref="CostModel.Gradient"/>)
/// over the measured time, beside the time the tables' rate for that size predicts (<see cref="MachineRates.GpuFlops"/>):
/// points away from the 2,048-token ones the rates came from check the model. A point is
/// <c>shape:layers:tokens:batch</c>. <c>--activation-budget-gib</c> is the engine's <c>Gradients:ActivationBudgetBytes</c>
/// (default 4 GiB, as the service's default): above it the engine recomputes layer by layer, and the FLOP count follows.
/// This is the run that replaces the cost tables' GPU projection with a measurement.
/// </summary>
internal static class DeviceRate
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var points = ParsePoints(Value("--points") ?? "0.5B:24:2048:4,1.5B:28:2048:4,7B:8:2048:2");
        if (points is null || !int.TryParse(Value("--reps") ?? "3", out var reps) || reps < 1)
        {
            await Console.Error.WriteLineAsync("usage: Infra.Bench device-rate [--device cuda|cpu|auto] [--dtype bfloat16|float32] [--activation-budget-gib 4] " +
                "[--points 0.5B:24:2048:4,...] [--reps 3] [--out bench/results]").ConfigureAwait(false);
            return 2;
        }
        var device = TorchDevices.Resolve(TorchDevices.Parse(Value("--device") ?? "auto"));
        var dtype = ComputeDType.Parse(Value("--dtype") ?? (device.type == DeviceType.CUDA ? "bfloat16" : "float32"), device);
        if (device.type == DeviceType.CPU) torch.set_num_threads(Environment.ProcessorCount);
        var output = Value("--out") ?? "bench/results";
        var budget = double.TryParse(Value("--activation-budget-gib") ?? "4", NumberStyles.Float, CultureInfo.InvariantCulture, out var gib) && gib > 0
            ? (long)(gib * (1L << 30))
            : throw new ArgumentException("--activation-budget-gib must be a positive number of GiB");
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"device-rate on {Describe(device)}, compute dtype {ComputeDType.Name(dtype)}, {Environment.ProcessorCount} host cores, activation budget {budget / (double)(1L << 30):F0} GiB, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {reps} timed batches after one warm-up per point.");
        report.AppendLine();
        report.AppendLine("| point | batch x tokens | layerwise | seconds per batch, median [min-max] | tokens/s | cost-model TFLOP per batch | effective TFLOP/s | cost model's seconds at the tables' rate | measured / model |");
        report.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var (shape, layers, tokens, batchSize) in points)
        {
            var line = Measure(shape, layers, tokens, batchSize, reps, device, dtype, budget);
            Console.Error.WriteLine(line);
            report.AppendLine(line);
        }
        Directory.CreateDirectory(output);
        var file = Path.Combine(output, "device-rate.md");
        await File.WriteAllTextAsync(file, report.ToString()).ConfigureAwait(false);
        Console.Write(report);
        return 0;
    }

    private static string Measure(ModelShape shape, int layers, int tokens, int batchSize, int reps, Device device, ScalarType dtype, long budget)
    {
        var clock = Stopwatch.StartNew();
        using var model = Infra.Torch.Model.SeededCheckpoint.Create(shape.WithLayers(layers).Config(Math.Max(32_768, tokens)), seed: 1, device, dtype);
        var tracked = new LayerSelection().Select(model);
        using var projector = new Projector(tracked, new ProjectionSpec { KIn = 64, KOut = 64, Seed = 0 }, device);
        var computer = new FactorComputer(model, tracked) { ActivationBudgetBytes = budget };
        // What `infra index` asks for by default: the compact store keeps Ĝ only, no per-token factors.
        var engine = new GradientEngine(computer, projector) { IncludeTokenFactors = false };
        var batch = SyntheticBatch.Create(batchSize, tokens, model.Config.VocabSize, seed: 7);
        var layerwise = computer.RecomputesLayerwise(batch);
        Console.Error.WriteLine($"[device-rate] {shape.Name} {layers} layers built in {clock.Elapsed.TotalSeconds:F1} s; batch {batchSize} x {tokens} tokens, layerwise {layerwise}");
        var seconds = new List<double>();
        for (var r = 0; r <= reps; r++)
        {
            var rep = Stopwatch.StartNew();
            // Compute returns host arrays, so the time includes every kernel and the device-to-host copies.
            var factors = engine.Compute(batch);
            if (factors.Count != batchSize) throw new InvalidOperationException($"engine returned {factors.Count} examples for {batchSize}");
            if (r > 0) seconds.Add(rep.Elapsed.TotalSeconds);
        }
        var timing = new Timing(seconds);
        var flops = batchSize * CostModel.Gradient(shape.WithLayers(layers), new Workload(tokens), layerwise).Total;
        var rate = flops / timing.Median;
        var predicted = flops / MachineRates.GpuFlops(shape);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {shape.Name}, {layers} of {shape.Layers} layers | {batchSize} x {tokens} | {(layerwise ? "yes" : "no")} | {timing.Median:F3} [{timing.Min:F3}-{seconds.Max():F3}] | {batchSize * tokens / timing.Median:N0} | {flops / 1e12:F1} | {rate / 1e12:F1} | {predicted:F3} | {timing.Median / predicted:F2} |");
    }

    private static string Describe(Device device) =>
        device.type == DeviceType.CUDA ? $"CUDA ({torch.cuda.device_count()} device(s) visible, the first used)" : "CPU";

    private static List<(ModelShape Shape, int Layers, int Tokens, int Batch)>? ParsePoints(string text)
    {
        var points = new List<(ModelShape, int, int, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = part.Split(':');
            var shape = ModelShape.All.FirstOrDefault(s => f.Length == 4 && s.Name == f[0]);
            if (shape is null || !int.TryParse(f[1], out var layers) || !int.TryParse(f[2], out var tokens) || !int.TryParse(f[3], out var batch)
                || layers < 1 || tokens < 2 || batch < 1)
                return null;
            points.Add((shape, layers, tokens, batch));
        }
        return points.Count == 0 ? null : points;
    }
}
