using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// Measurements 1 and 2: tokens/s of <see cref="GradientEngine.Compute"/> (default MLP layers,
/// k_in = k_out = 64, token factors + example gradients, host copy included), its speed-up over the same capture with
/// logits at every position (the engine before issue 14), and its cost over a plain forward + <c>loss.backward()</c>
/// on the same batch, with both phase breakdowns.
/// </summary>
internal static class ComputeBenchmark
{
    private static readonly ProjectionSpec Projection = new() { KIn = 64, KOut = 64, Seed = 0 };

    public static (IReadOnlyList<BenchResult> Results, double Overhead, double Speedup) Run(ComputeScenario scenario, TextWriter log)
    {
        var key = scenario.Key;
        using var model = SeededCheckpoint.Create(scenario.Config, seed: 1);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers);
        using var projector = new Projector(layers, Projection, CPU);
        var engine = new GradientEngine(computer, projector) { IncludeTokenFactors = true, IncludeExampleGradient = true };
        var batch = SyntheticBatch.Create(scenario.BatchSize, scenario.Length, scenario.Config.VocabSize, seed: 7);
        using var tensors = DeviceBatch.From(batch, CPU);
        var tokens = SyntheticBatch.Tokens(batch);
        var shape = $"{scenario.BatchSize}x{scenario.Length} tokens, {layers.Count} tracked layers";

        log.WriteLine($"[{key}] {scenario.Description}; {shape}: engine vs full-logits capture vs plain fwd+bwd, {scenario.Reps.Reps} reps");
        var fullLogits = new EnginePhases(model, layers, projector, fullLogits: true);
        var timings = Sampler.Interleaved(scenario.Reps,
            () => engine.Compute(batch),
            () => fullLogits.Run(tensors),
            () => PlainTrainingStep.Run(model, tensors));
        var (engineTime, fullLogitsTime, plainTime) = (timings[0], timings[1], timings[2]);
        var overhead = engineTime.Median / plainTime.Median;
        var speedup = fullLogitsTime.Median / engineTime.Median;

        log.WriteLine($"[{key}] phase breakdown, {scenario.PhaseReps.Reps} reps");
        var phases = new EnginePhases(model, layers, projector);
        var enginePhases = EnginePhases.Names.Select(_ => new List<double>()).ToArray();
        var plainPhases = new[] { new List<double>(), new List<double>() };
        Sampler.Interleaved(scenario.PhaseReps,
            () => Collect(enginePhases, phases.Run(tensors)),
            () =>
            {
                var (forward, backward) = PlainTrainingStep.Timed(model, tensors);
                Collect(plainPhases, [forward, backward]);
            });

        var results = new List<BenchResult>
        {
            BenchResult.Rate($"{key}.gradient_tokens_per_s", tokens, "tokens/s", engineTime, $"{scenario.Description}; {shape}"),
            BenchResult.Rate($"{key}.full_logits_capture_tokens_per_s", tokens, "tokens/s", fullLogitsTime,
                "the same capture with logits and cross-entropy at every position, as before issue 14"),
            new($"{key}.speedup_over_full_logits", speedup, "x") { Best = fullLogitsTime.Min / engineTime.Min, Note = "full-logits capture / GradientEngine.Compute (median; best = min/min)" },
            BenchResult.Rate($"{key}.plain_fwd_bwd_tokens_per_s", tokens, "tokens/s", plainTime, "forward + masked CE + loss.backward() (all weight grads)"),
            new($"{key}.overhead_ratio", overhead, "x") { Best = engineTime.Min / plainTime.Min, Note = "GradientEngine.Compute / plain fwd+bwd (median; best = min/min)" },
        };
        // Warm-up reps were interleaved too, so only the timed tail of each list is kept.
        var skip = scenario.PhaseReps.Warmup;
        for (var p = 0; p < EnginePhases.Names.Length; p++)
            results.Add(BenchResult.Seconds($"{key}.engine_phase.{EnginePhases.Names[p]}", new Timing(enginePhases[p].Skip(skip).ToList())));
        results.Add(BenchResult.Seconds($"{key}.plain_phase.forward", new Timing(plainPhases[0].Skip(skip).ToList())));
        results.Add(BenchResult.Seconds($"{key}.plain_phase.backward", new Timing(plainPhases[1].Skip(skip).ToList())));
        return (results, overhead, speedup);
    }

    private static void Collect(List<double>[] into, double[] seconds)
    {
        for (var i = 0; i < seconds.Length; i++) into[i].Add(seconds[i]);
    }
}
