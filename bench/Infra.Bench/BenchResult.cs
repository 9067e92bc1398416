namespace Infra.Bench;

/// <summary>
/// One reported figure. Rates are computed from the median rep (<see cref="Value"/>) and from the
/// fastest rep (<see cref="Best"/>); the raw times are kept alongside.
/// </summary>
internal sealed record BenchResult(string Name, double Value, string Unit)
{
    public double? Best { get; init; }
    public double? MedianSeconds { get; init; }
    public double? MinSeconds { get; init; }
    public int? Reps { get; init; }
    public string? Note { get; init; }

    /// <summary>A rate: <paramref name="amount"/> per second of the median and of the fastest rep.</summary>
    public static BenchResult Rate(string name, double amount, string unit, Timing timing, string? note = null) =>
        new(name, amount / timing.Median, unit)
        {
            Best = amount / timing.Min,
            MedianSeconds = timing.Median,
            MinSeconds = timing.Min,
            Reps = timing.Reps,
            Note = note,
        };

    /// <summary>A duration: the median and fastest rep, in seconds.</summary>
    public static BenchResult Seconds(string name, Timing timing, string? note = null) =>
        new(name, timing.Median, "s")
        {
            Best = timing.Min,
            MedianSeconds = timing.Median,
            MinSeconds = timing.Min,
            Reps = timing.Reps,
            Note = note,
        };
}
