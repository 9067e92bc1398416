using Infra.Core.Checkpoints;

namespace Infra.Bench;

/// <summary>One configuration of the loopback gRPC stream measurement (identity projection, token factors, fp32 wire).</summary>
/// <param name="Key">Short name used in result names and ratios.</param>
/// <param name="Description">What is streamed, for the report.</param>
/// <param name="Config">The seeded checkpoint's architecture (its vocab is forced to the byte-level tokenizer's 259).</param>
/// <param name="LayerPattern">The service's <c>Gradients:LayerPattern</c>.</param>
/// <param name="Examples">Examples per stream.</param>
/// <param name="Length">Tokens per example; the loss is on the second half.</param>
/// <param name="BatchSize">GradientOptions.batch_size, and the direct-compute batch.</param>
/// <param name="Reps">Stream and direct compute, interleaved.</param>
internal sealed record StreamScenario(string Key, string Description, HfModelConfig Config, string LayerPattern,
    int Examples, int Length, int BatchSize, Repetitions Reps);
