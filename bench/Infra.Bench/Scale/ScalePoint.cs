using System.Text.Json;
using Infra.Core.Compression;
using Infra.Core.Store;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench.Scale;

/// <summary>
/// <c>scale-point --shape 0.5B --layers 24 --tokens 1024 --reps 2 --out point.json</c>: one measured point of
/// <c>bench scale</c>, in a process of its own so that its peak resident memory is its own. Seeded weights of the shape's
/// real dimensions, one example (loss on the second half), MLP layers tracked at k = 64 as <c>infra index</c> does by
/// default; the example's factors are then written to two real stores (compact, and with token factors) to weigh them.
/// </summary>
internal static class ScalePoint
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var shape = ModelShape.All.FirstOrDefault(s => s.Name == Value("--shape"));
        if (shape is null || !int.TryParse(Value("--layers"), out var layers) || !int.TryParse(Value("--tokens"), out var tokens)
            || !int.TryParse(Value("--reps") ?? "1", out var reps) || layers < 1 || tokens < 2 || reps < 1 || Value("--out") is not { } output)
        {
            await Console.Error.WriteLineAsync("usage: Infra.Bench scale-point --shape 0.5B|1.5B|7B --layers N --tokens T [--reps 1] --out point.json").ConfigureAwait(false);
            return 2;
        }
        torch.set_num_threads(Environment.ProcessorCount);
        // The rates first (and again after the reps), then the peak reset: their buffers (a 151,936-row head among them) are
        // not the point's memory.
        var rates = MachineRates.Measure(shape, reps: 3, streamingRead: false);
        Infra.Bench.Scoring.ProcessMemory.ResetPeak();
        using var model = SeededCheckpoint.Create(shape.WithLayers(layers).Config(Math.Max(32_768, tokens)), seed: 1);
        var modelPeak = Infra.Bench.Scoring.ProcessMemory.PeakRssBytes();
        var tracked = new LayerSelection().Select(model);
        var spec = new ProjectionSpec { KIn = 64, KOut = 64, Seed = 0 };
        using var projector = new Projector(tracked, spec, CPU);
        var computer = new FactorComputer(model, tracked);
        var engine = new GradientEngine(computer, projector);
        var example = SyntheticBatch.Create(1, tokens, model.Config.VocabSize, seed: 7);
        var seconds = new double[reps];
        ExampleFactors? factors = null;
        for (var r = 0; r < reps; r++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            factors = engine.Compute(example)[0];
            seconds[r] = clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"[scale-point] {shape.Name} {layers} layers {tokens} tokens: rep {r + 1}/{reps} {seconds[r]:F1} s");
        }
        var peak = Infra.Bench.Scoring.ProcessMemory.PeakRssBytes();
        // Rates again after the reps, averaged with the first ones: load from other work on shared cores moves within minutes.
        var after = MachineRates.Measure(shape, reps: 3, streamingRead: false);
        rates = new MachineRates((rates.GemmFlops + after.GemmFlops) / 2, (rates.AttentionFlops + after.AttentionFlops) / 2,
            (rates.HeadFlops + after.HeadFlops) / 2, (rates.EighSecondsPerCube + after.EighSecondsPerCube) / 2, 0);
        var storeLayers = tracked.Select(l => new StoreLayer(l.Name, l.DIn, l.DOut, 64, 64)).ToList();
        var result = new ScalePointResult(shape.Name, layers, tokens, computer.RecomputesLayerwise(example), seconds, peak, modelPeak,
            StoreBytes(storeLayers, factors!, tokenFactors: false), StoreBytes(storeLayers, factors!, tokenFactors: true), rates);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result)).ConfigureAwait(false);
        return 0;
    }

    // The bytes a real store's folder grows by when this one example is added and committed.
    private static long StoreBytes(IReadOnlyList<StoreLayer> layers, ExampleFactors factors, bool tokenFactors)
    {
        var folder = Directory.CreateTempSubdirectory("infra-scale-store-").FullName;
        try
        {
            var schema = new StoreSchema
            {
                ModelFingerprint = "scale-benchmark",
                Layers = layers,
                ProjectionSeed = 0,
                DType = FactorDType.BFloat16,
                TokenFactors = tokenFactors,
            };
            long empty;
            using (var store = GradientStore.OpenOrCreate(folder, schema))
            {
                empty = FolderBytes(folder);
                store.Add(new StoreExample
                {
                    Id = factors.Example.Id,
                    TokenIds = factors.Example.Ids,
                    LossMask = factors.Example.LossMask,
                    TokenLosses = factors.TokenLosses,
                    Loss = factors.Loss,
                    ExampleGradients = factors.Layers.Select(l => l.ExampleGradient!).ToList(),
                    TokenInputs = tokenFactors ? factors.Layers.Select(l => l.Inputs!).ToList() : null,
                    TokenOutputGradients = tokenFactors ? factors.Layers.Select(l => l.OutputGradients!).ToList() : null,
                });
                store.Flush();
            }
            return FolderBytes(folder) - empty;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long FolderBytes(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
