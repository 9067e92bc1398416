using System.Globalization;
using System.Text;
using Infra.Core.Checkpoints;
using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench.Scale;

/// <summary>
/// <c>device-check [--layers 2] [--batch 2] [--length 256] [--out DIR]</c>: the engine's factors on a CUDA device against the
/// same factors on the CPU, from one checkpoint folder (the same weights on both), Qwen2.5-0.5B dimensions, MLP layers at
/// k = 64 with the same seeded projections. Reports, per quantity, the largest absolute difference over the largest CPU
/// magnitude: the token losses, the per-token factors <c>â</c>, <c>ĝ</c>, the example gradients <c>Ĝ</c>, and the
/// gradient dot products <c>&lt;Ĝ_i, Ĝ_j&gt;</c> (influence with an identity preconditioner). CUDA in float32 is the same
/// computation in another order (expected ~1e-6 relative); bfloat16 shows what the cheaper compute dtype costs.
/// A GPU check, not a test: CI has no GPU.
/// </summary>
internal static class DeviceCheck
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => int.TryParse(Value(name), out var n) && n > 0 ? n : fallback;
        var (layers, batchSize, length) = (Number("--layers", 2), Number("--batch", 2), Number("--length", 256));
        var output = Value("--out") ?? "bench/results";
        if (!cuda.is_available())
        {
            await Console.Error.WriteLineAsync("device-check needs a CUDA device; this process sees none").ConfigureAwait(false);
            return 2;
        }
        var folder = Directory.CreateTempSubdirectory("infra-device-check-");
        try
        {
            var config = SeededCheckpoint.Write(folder.FullName, ModelShape.Qwen05B.WithLayers(layers).Config(), seed: 1);
            var batch = SyntheticBatch.Create(batchSize, length, config.VocabSize, seed: 7);
            var reference = Compute(folder.FullName, batch, CPU, ScalarType.Float32);
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"device-check: Qwen2.5-0.5B dimensions, {layers} layers, {batchSize} x {length} tokens (loss on the second half), MLP layers at k = 64; largest |CUDA - CPU| over the largest |CPU| value, CPU float32 the reference; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
            report.AppendLine();
            report.AppendLine("| CUDA compute dtype | token losses | â (token inputs) | ĝ (token output gradients) | Ĝ (example gradients) | <Ĝ_i, Ĝ_j> |");
            report.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
            {
                var other = Compute(folder.FullName, batch, CUDA, dtype);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ComputeDType.Name(dtype)} | {Relative(reference, other, f => [f.TokenLosses]):E1} | {Relative(reference, other, f => f.Layers.Select(l => l.Inputs!)):E1} | " +
                    $"{Relative(reference, other, f => f.Layers.Select(l => l.OutputGradients!)):E1} | {Relative(reference, other, f => f.Layers.Select(l => l.ExampleGradient!)):E1} | " +
                    $"{RelativeDots(reference, other):E1} |");
            }
            Directory.CreateDirectory(output);
            await File.WriteAllTextAsync(Path.Combine(output, "device-check.md"), report.ToString()).ConfigureAwait(false);
            Console.Write(report);
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<ExampleFactors> Compute(string folder, IReadOnlyList<TokenizedExample> batch, Device device, ScalarType dtype)
    {
        using var checkpoint = CheckpointFolder.Open(folder);
        using var model = CheckpointLoader.Load(checkpoint, device, dtype);
        var tracked = new LayerSelection().Select(model);
        using var projector = new Projector(tracked, new ProjectionSpec { KIn = 64, KOut = 64, Seed = 0 }, device);
        return new GradientEngine(new FactorComputer(model, tracked), projector).Compute(batch);
    }

    private static double Relative(IReadOnlyList<ExampleFactors> reference, IReadOnlyList<ExampleFactors> other, Func<ExampleFactors, IEnumerable<float[]>> select)
    {
        double difference = 0, scale = 0;
        for (var e = 0; e < reference.Count; e++)
        {
            foreach (var (x, y) in select(reference[e]).Zip(select(other[e])))
            {
                if (x.Length != y.Length) throw new InvalidOperationException($"lengths differ: {x.Length} vs {y.Length}");
                for (var i = 0; i < x.Length; i++)
                {
                    difference = Math.Max(difference, Math.Abs((double)x[i] - y[i]));
                    scale = Math.Max(scale, Math.Abs((double)x[i]));
                }
            }
        }
        return difference / scale;
    }

    private static double RelativeDots(IReadOnlyList<ExampleFactors> reference, IReadOnlyList<ExampleFactors> other)
    {
        static double Dot(ExampleFactors a, ExampleFactors b) =>
            a.Layers.Zip(b.Layers).Sum(p => p.First.ExampleGradient!.Zip(p.Second.ExampleGradient!).Sum(v => (double)v.First * v.Second));
        double difference = 0, scale = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            for (var j = 0; j < reference.Count; j++)
            {
                var x = Dot(reference[i], reference[j]);
                difference = Math.Max(difference, Math.Abs(x - Dot(other[i], other[j])));
                scale = Math.Max(scale, Math.Abs(x));
            }
        }
        return difference / scale;
    }
}
