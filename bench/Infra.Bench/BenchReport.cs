namespace Infra.Bench;

/// <summary>The whole run, as written to <c>gradients.json</c>.</summary>
internal sealed record BenchReport(MachineInfo Machine, IReadOnlyList<BenchResult> Results, IReadOnlyDictionary<string, double> Ratios);
