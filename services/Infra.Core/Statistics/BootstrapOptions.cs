namespace Infra.Core.Statistics;

/// <summary>How bootstrap confidence intervals are drawn (percentile method).</summary>
public sealed class BootstrapOptions
{
    /// <summary>Number of bootstrap resamples B. Defaults to 1000.</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Coverage of the interval. Defaults to 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Base seed; each cell derives its own stream from it and the cell's name, so a cell's interval does not depend on which other cells exist. Defaults to 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The most resamples accepted: 100,000. The work is B x n per cell, so an unbounded B can keep a core busy for hours
    /// after its caller has gone; B beyond this changes no reported digit of a 95 % interval anyway.
    /// </summary>
    public const int MaxResamples = 100_000;

    /// <summary>
    /// Stops the resampling when the call it serves is cancelled or past its deadline (checked every 64 resamples).
    /// Defaults to none.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The defaults: B = 1000, 95 %, seed 0.</summary>
    public static BootstrapOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when B or the confidence is out of range.</summary>
    public void Validate()
    {
        if (Resamples < 1 || Resamples > MaxResamples)
        {
            throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, $"bootstrap resamples must be in [1, {MaxResamples:N0}]");
        }
        if (!(Confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "confidence must be in (0, 1)");
        }
    }
}
