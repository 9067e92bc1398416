using Infra.Core.Checkpoints;

namespace Infra.Bench;

/// <summary>One model and batch for the CPU gradient-throughput and overhead measurements.</summary>
/// <param name="Key">Short name used in result names and ratios, e.g. "tiny".</param>
/// <param name="Description">What the model is, for the report (e.g. layers kept).</param>
/// <param name="Config">The architecture (seeded weights).</param>
/// <param name="BatchSize">Examples per batch.</param>
/// <param name="Length">Tokens per example; the loss is on the second half.</param>
/// <param name="Reps">Engine and plain step, interleaved.</param>
/// <param name="PhaseReps">Reps of the per-phase breakdown (extra work, so fewer than <paramref name="Reps"/>).</param>
internal sealed record ComputeScenario(string Key, string Description, HfModelConfig Config, int BatchSize, int Length,
    Repetitions Reps, Repetitions PhaseReps);
