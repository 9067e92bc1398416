namespace Infra.Bench;

/// <summary>How often a measurement is run: untimed warm-ups (JIT, allocator, libtorch kernels), then timed reps.</summary>
internal sealed record Repetitions(int Warmup, int Reps);
