namespace Infra.Bench;

/// <summary>Wall times of the measured repetitions (warm-up excluded), in seconds.</summary>
internal sealed record Timing(IReadOnlyList<double> Seconds)
{
    public double Median
    {
        get
        {
            var sorted = Seconds.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => Seconds.Min();

    public int Reps => Seconds.Count;
}
