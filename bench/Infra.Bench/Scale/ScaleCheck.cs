namespace Infra.Bench.Scale;

/// <summary>One comparison of the cost model with a measurement: predicted / measured, and whether it is within 25 %.</summary>
internal sealed record ScaleCheck(string Point, string Quantity, double Predicted, double Measured, string Unit)
{
    /// <summary>The target of issue 14: each checked point within 25 %.</summary>
    public const double Tolerance = 0.25;

    /// <summary>Whether the prediction was fitted to this measurement (so it checks nothing). Defaults to false.</summary>
    public bool Calibration { get; init; }

    /// <summary>Predicted / measured.</summary>
    public double Ratio => Predicted / Measured;

    /// <summary>Whether the prediction is within <see cref="Tolerance"/> of the measurement.</summary>
    public bool Within => Math.Abs(Ratio - 1) <= Tolerance;
}
