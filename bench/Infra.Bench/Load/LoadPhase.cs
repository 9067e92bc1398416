using System.Diagnostics;

namespace Infra.Bench.Load;

/// <summary>What one phase measured: completed calls, their latencies, errors by status.</summary>
internal sealed record LoadPhaseResult(string Name, int Clients, double Seconds, int Calls, int Errors, double CallsPerSecond,
    double P50Ms, double P99Ms, IReadOnlyDictionary<string, int> ErrorsByStatus, IReadOnlyDictionary<string, double> P50MsByCall, string? Background)
{
    /// <summary>
    /// Runs <paramref name="clients"/> closed-loop clients for <paramref name="duration"/>: each calls <paramref name="call"/> with its
    /// client index and call count, waits for the answer, calls again. Latencies of calls that ended with an error count too.
    /// </summary>
    public static async Task<LoadPhaseResult> RunAsync(string name, int clients, TimeSpan duration, Func<int, int, CancellationToken, Task<string>> call,
        string? background = null)
    {
        var samples = new List<(string Kind, double Ms, string? Error)>[clients];
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = samples[c] = [];
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var start = Stopwatch.GetTimestamp();
                string kind;
                string? error = null;
                try
                {
                    kind = await call(c, i, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Grpc.Core.RpcException e)
                {
                    kind = "error";
                    error = e.StatusCode.ToString();
                }
                mine.Add((kind, Stopwatch.GetElapsedTime(start).TotalMilliseconds, error));
            }
        }))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).ToList();
        var latencies = all.Select(s => s.Ms).Order().ToArray();
        return new LoadPhaseResult(name, clients, seconds, all.Count, all.Count(s => s.Error is not null), all.Count / seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            all.Where(s => s.Error is not null).GroupBy(s => s.Error!).ToDictionary(g => g.Key, g => g.Count()),
            all.Where(s => s.Error is null).GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => Percentile(g.Select(s => s.Ms).Order().ToArray(), 0.5)),
            background);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
