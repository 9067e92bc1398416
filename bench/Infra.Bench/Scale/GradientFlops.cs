namespace Infra.Bench.Scale;

/// <summary>The FLOPs of one example's gradient pass by kind, each run at its own rate (<see cref="MachineRates"/>).</summary>
/// <param name="Linear">Linear layers (GEMMs), every pass.</param>
/// <param name="Attention">Causal attention, forward and backward.</param>
/// <param name="Head">The head and cross-entropy at loss positions, forward and <c>dL/dh</c>.</param>
/// <param name="Projection">Projections of the token factors and <c>Ĝ</c> (GEMMs).</param>
internal sealed record GradientFlops(double Linear, double Attention, double Head, double Projection)
{
    /// <summary>All of them.</summary>
    public double Total => Linear + Attention + Head + Projection;

    /// <summary>Seconds on this CPU, each kind at the rate measured for it.</summary>
    public double Seconds(MachineRates rates) =>
        (Linear + Projection) / rates.GemmFlops + Attention / rates.AttentionFlops + Head / rates.HeadFlops;
}
