using System.Diagnostics;
using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// <c>capture</c> (issue 14 item 7): the GradientService's capture at Qwen2.5-0.5B's dimensions (default 4 of 24 layers,
/// 4 x 256 tokens, loss on the second half, MLP layers, k = 64, token factors + example gradients + host copy), side by side
/// in one run with the same capture with logits at every position (the engine before issue 14) and, with <c>--peer</c>,
/// the PyTorch peer doing the same work both ways, all interleaved rep by rep.
/// </summary>
internal static class CaptureBenchmark
{
    private static readonly ProjectionSpec Projection = new() { KIn = 64, KOut = 64, Seed = 0 };

    public static async Task<int> RunAsync(string[] args)
    {
        if (!CaptureArguments.TryParse(args, CaptureArguments.CaptureDefaults, out var a, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}\n{CaptureArguments.Usage}").ConfigureAwait(false);
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var log = Console.Error;
        torch.set_num_threads(Environment.ProcessorCount);
        var machine = MachineInfo.Capture(quick: false);
        var device = Infra.Torch.Runtime.TorchDevices.Resolve(Infra.Torch.Runtime.TorchDevices.Parse(a.Device));
        var dtype = Infra.Torch.Runtime.ComputeDType.Parse(a.DType, device);
        using var model = SeededCheckpoint.Create(BenchModels.Qwen05BShape(a.Layers), seed: 1, device, dtype);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, Projection, device);
        var engine = new GradientEngine(new FactorComputer(model, layers), projector);
        var batch = SyntheticBatch.Create(a.Batch, a.Length, model.Config.VocabSize, seed: 7);
        using var tensors = DeviceBatch.From(batch, device);
        var fullLogits = new EnginePhases(model, layers, projector, fullLogits: true);
        using var peer = a.Peer is null ? null : CapturePeer.Start(a.Python, a.Peer,
            ["--layers", $"{a.Layers}", "--batch", $"{a.Batch}", "--length", $"{a.Length}", "--threads", $"{Environment.ProcessorCount}",
             "--device", device.type == DeviceType.CUDA ? "cuda" : "cpu", "--dtype", a.DType]);
        var shape = $"{device.type} {a.DType}: Qwen2.5-0.5B shape, {a.Layers} of {BenchModels.Qwen05BLayers} layers, {a.Batch}x{a.Length} tokens (loss on the second half), {layers.Count} tracked layers, k 64";
        log.WriteLine($"[capture] {shape}; torch threads {machine.TorchThreads}; peer: {peer?.Banner ?? "none"}; {a.Reps} reps + 1 warm-up, interleaved");

        var actions = new List<Action> { () => engine.Compute(batch), () => fullLogits.Run(tensors) };
        if (peer is not null)
        {
            actions.Add(() => peer.Run("loss"));
            actions.Add(() => peer.Run("full"));
        }
        var timings = Sampler.Interleaved(new Repetitions(1, a.Reps), [.. actions]);

        log.WriteLine("[capture] phase breakdown of the engine's steps, 2 reps");
        var phases = new EnginePhases(model, layers, projector);
        var phaseSeconds = EnginePhases.Names.Select(_ => new List<double>()).ToArray();
        Sampler.Interleaved(new Repetitions(0, 2), () =>
        {
            var s = phases.Run(tensors);
            for (var p = 0; p < s.Length; p++) phaseSeconds[p].Add(s[p]);
        });

        var tokens = SyntheticBatch.Tokens(batch);
        var results = new List<BenchResult>
        {
            BenchResult.Rate("capture.engine_tokens_per_s", tokens, "tokens/s", timings[0], $"GradientEngine.Compute; {shape}"),
            BenchResult.Rate("capture.full_logits_tokens_per_s", tokens, "tokens/s", timings[1], "the same capture with logits at every position (before issue 14)"),
        };
        var ratios = new Dictionary<string, double> { ["engine_over_full_logits"] = timings[1].Median / timings[0].Median };
        if (peer is not null)
        {
            results.Add(BenchResult.Rate("capture.peer_loss_positions_tokens_per_s", tokens, "tokens/s", timings[2], $"PyTorch peer, logits at loss positions; {peer.Banner}"));
            results.Add(BenchResult.Rate("capture.peer_full_logits_tokens_per_s", tokens, "tokens/s", timings[3], "PyTorch peer, logits at every position"));
            ratios["engine_over_peer_loss_positions"] = timings[2].Median / timings[0].Median;
            ratios["engine_over_peer_full_logits"] = timings[3].Median / timings[0].Median;
            ratios["full_logits_over_peer_full_logits"] = timings[3].Median / timings[1].Median;
        }
        for (var p = 0; p < EnginePhases.Names.Length; p++)
            results.Add(BenchResult.Seconds($"capture.engine_phase.{EnginePhases.Names[p]}", new Timing(phaseSeconds[p])));

        var report = new BenchReport(machine with { LoadAverageAtEnd = MachineInfo.LoadAverage(), WallSeconds = clock.Elapsed.TotalSeconds }, results, ratios);
        await ReportWriter.WriteAsync(report, a.OutputFolder, "capture", "Capture at Qwen2.5-0.5B dimensions").ConfigureAwait(false);
        return 0;
    }
}
