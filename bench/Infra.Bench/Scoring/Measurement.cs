namespace Infra.Bench.Scoring;

/// <summary>One measured figure.</summary>
/// <param name="Name">What was measured, with its shape.</param>
/// <param name="Value">The figure.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Note">Ratio to its reference, or how it was taken.</param>
internal sealed record Measurement(string Name, double Value, string Unit, string Note);
