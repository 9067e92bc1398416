using System.Globalization;
using Infra.ServiceDefaults;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Checkpoints;
using Infra.Gradients.Hosting;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;
using WireProjection = Infra.Contracts.Gradients.V1.ProjectionSpec;

namespace Infra.Bench;

/// <summary>
/// Measurement 3: payload MiB/s of the real GradientService over loopback gRPC (seeded checkpoint,
/// identity projection, token factors, fp32 wire, pre-tokenised examples sent while receiving), side
/// by side with <see cref="GradientEngine.Compute"/> on the same batches without gRPC, so the report
/// can say whether compute or the wire is the limit.
/// </summary>
internal static class StreamBenchmark
{
    private const double MiB = 1024 * 1024;
    private const int ChunkBytes = 1 << 20;

    public static async Task<(IReadOnlyList<BenchResult> Results, double StreamMiBs, double ComputeShare, double OverlapSpeedup)> RunAsync(StreamScenario scenario, string deviceName, TextWriter log)
    {
        var device = Infra.Torch.Runtime.TorchDevices.Resolve(Infra.Torch.Runtime.TorchDevices.Parse(deviceName));
        var key = scenario.Key;
        var folder = Directory.CreateTempSubdirectory("infra-bench-");
        try
        {
            var config = SeededCheckpoint.Write(folder.FullName, scenario.Config, seed: 3);
            var batch = SyntheticBatch.Create(scenario.Examples, scenario.Length, config.VocabSize, seed: 11, prefix: key);
            var settings = new Dictionary<string, string?>
            {
                ["Gradients:ModelPath"] = folder.FullName,
                ["Gradients:Device"] = device.type == DeviceType.CUDA ? "cuda" : "cpu",
                ["Gradients:FactorsPath"] = Path.Combine(folder.FullName, "factors"),
                ["Gradients:ChunkBytes"] = ChunkBytes.ToString(CultureInfo.InvariantCulture),
                ["Gradients:LayerPattern"] = scenario.LayerPattern,
                ["Logging:LogLevel:Default"] = "Warning",
            };
            var (app, address) = await GradientServiceHost.StartLoopbackAsync(settings).ConfigureAwait(false);
            await using var _ = app.ConfigureAwait(false);
            // The channel the CLI and the services use (InfraChannel), so its HTTP/2 settings are what is measured.
            using var channel = InfraChannel.Create(address, apiKey: null);
            var client = new GradientService.GradientServiceClient(channel);
            // The same service computing each batch only after the previous one is written (no overlap), for the ratio.
            var (serialApp, serialAddress) = await GradientServiceHost.StartLoopbackAsync(
                new Dictionary<string, string?>(settings) { ["Gradients:ComputeAheadBatches"] = "0" }).ConfigureAwait(false);
            await using var __ = serialApp.ConfigureAwait(false);
            using var serialChannel = InfraChannel.Create(serialAddress, apiKey: null);
            var serialClient = new GradientService.GradientServiceClient(serialChannel);
            var options = new GradientOptions
            {
                Projection = new WireProjection { Identity = true },
                Dtype = WireDtype.Float32,
                IncludeTokenFactors = true,
                IncludeExampleGradient = false,
                BatchSize = (uint)scenario.BatchSize,
            };
            var examples = batch.Select(ToWire).ToList();

            // The same work without gRPC: the checkpoint the service loaded, the same layers and batches.
            using var checkpoint = CheckpointFolder.Open(folder.FullName);
            using var model = CheckpointLoader.Load(checkpoint, device, ScalarType.Float32);
            var layers = new LayerSelection { Pattern = scenario.LayerPattern }.Select(model);
            using var projector = new Projector(layers, Infra.Core.Compression.ProjectionSpec.Exact, device);
            var engine = new GradientEngine(new FactorComputer(model, layers), projector) { IncludeTokenFactors = true, IncludeExampleGradient = false };
            var batches = batch.Chunk(scenario.BatchSize).ToList();

            long streamed = 0, computed = 0, serialStreamed = 0;
            int received = 0, serialReceived = 0;
            log.WriteLine($"[{key}] on {device.type}: {scenario.Description}; {layers.Count} tracked layers, {scenario.Examples}x{scenario.Length} tokens: gRPC stream vs direct compute, {scenario.Reps.Reps} reps");
            var timings = await Sampler.InterleavedAsync(scenario.Reps,
                async () => (streamed, received) = await StreamClient.ComputeAsync(client, options, examples).ConfigureAwait(false),
                async () => (serialStreamed, serialReceived) = await StreamClient.ComputeAsync(serialClient, options, examples).ConfigureAwait(false),
                () =>
                {
                    computed = batches.Sum(b => engine.Compute(b).Sum(PayloadBytes));
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
            if (received != scenario.Examples || streamed != computed || serialReceived != scenario.Examples || serialStreamed != computed)
                throw new InvalidOperationException($"[{key}] stream delivered {received} examples / {streamed} bytes (without compute-ahead: {serialReceived} / " +
                    $"{serialStreamed}); direct compute gave {computed} bytes");
            await app.StopAsync().ConfigureAwait(false);
            await serialApp.StopAsync().ConfigureAwait(false);

            // Where the direct compute's time goes, on one batch (the service is stopped: no competition).
            using var first = DeviceBatch.From(batches[0], device);
            var phases = new EnginePhases(model, layers, projector, includeExampleGradient: false);
            var phaseSeconds = EnginePhases.Names.Select(_ => new List<double>()).ToArray();
            Sampler.Interleaved(scenario.Reps, () =>
            {
                var s = phases.Run(first);
                for (var p = 0; p < s.Length; p++) phaseSeconds[p].Add(s[p]);
            });

            var (wire, serial, direct) = (timings[0], timings[1], timings[2]);
            var share = direct.Median / wire.Median;
            var tokens = SyntheticBatch.Tokens(batch);
            var what = $"{device.type}: {scenario.Description}; {layers.Count} tracked layers, {scenario.Examples}x{scenario.Length} tokens, batch {scenario.BatchSize}, " +
                $"{streamed / MiB:F0} MiB payload, chunks <= {ChunkBytes / MiB:F0} MiB";
            var results = new List<BenchResult>
            {
                BenchResult.Rate($"{key}.stream_payload_mib_s", streamed / MiB, "MiB/s", wire, what),
                BenchResult.Rate($"{key}.stream_tokens_per_s", tokens, "tokens/s", wire),
                BenchResult.Rate($"{key}.stream_serial_payload_mib_s", serialStreamed / MiB, "MiB/s", serial,
                    "the same service with Gradients:ComputeAheadBatches = 0: each batch computed only after the previous one is written"),
                BenchResult.Rate($"{key}.compute_only_payload_mib_s", computed / MiB, "MiB/s", direct, "GradientEngine.Compute on the same batches, no gRPC"),
                new($"{key}.compute_share", share, "fraction") { Best = direct.Min / wire.Min, Note = "direct compute time / stream time (median): near 1 = compute-bound" },
            };
            for (var p = 0; p < EnginePhases.Names.Length; p++)
            {
                results.Add(BenchResult.Seconds($"{key}.engine_phase.{EnginePhases.Names[p]}",
                    new Timing(phaseSeconds[p].Skip(scenario.Reps.Warmup).ToList()), p == 0 ? $"one batch of {scenario.BatchSize}" : null));
            }
            return (results, streamed / MiB / wire.Median, share, serial.Median / wire.Median);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Example ToWire(TokenizedExample e)
    {
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange(e.Ids);
        tokens.LossMask.AddRange(e.LossMask.Select(m => (uint)m));
        return new Example { Id = e.Id, Tokens = tokens };
    }

    private static long PayloadBytes(ExampleFactors factors) =>
        factors.Layers.Sum(l => ((l.Inputs?.Length ?? 0) + (l.OutputGradients?.Length ?? 0)) * (long)sizeof(float));
}
