using System.Diagnostics;

namespace Infra.Bench.Scoring;

/// <summary>Median wall time of several repetitions after warm-up runs (warm-up also gets tiered JIT out of the way).</summary>
internal static class Timing
{
    public static double MedianSeconds(Action action, int reps, int warmups = 1)
    {
        for (var i = 0; i < warmups; i++)
            action();
        var times = new double[reps];
        for (var i = 0; i < reps; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }
}
