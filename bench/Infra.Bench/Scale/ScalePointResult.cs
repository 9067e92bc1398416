namespace Infra.Bench.Scale;

/// <summary>What one <c>scale-point</c> process measured (written as JSON for the parent <c>scale</c> run).</summary>
/// <param name="Shape">The model size whose dimensions were used ("0.5B", ...).</param>
/// <param name="Layers">Decoder layers built.</param>
/// <param name="Tokens">Tokens of the example.</param>
/// <param name="Layerwise">Whether the engine recomputed layer by layer.</param>
/// <param name="Seconds">Seconds per example, one entry per rep.</param>
/// <param name="PeakResidentBytes">VmHWM of the process after the reps.</param>
/// <param name="ModelResidentBytes">VmHWM once the model was built.</param>
/// <param name="StoreBytesCompact">Bytes the example took in a real store without token factors.</param>
/// <param name="StoreBytesWithTokenFactors">Bytes the example took in a real store with token factors.</param>
/// <param name="Rates">The machine rates measured in this process just before the reps, at the shape's dimensions (so that
/// the prediction and the measurement see the same load on shared cores).</param>
internal sealed record ScalePointResult(string Shape, int Layers, int Tokens, bool Layerwise, double[] Seconds,
    long PeakResidentBytes, long ModelResidentBytes, long StoreBytesCompact, long StoreBytesWithTokenFactors, MachineRates Rates);
