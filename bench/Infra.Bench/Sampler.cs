using System.Diagnostics;

namespace Infra.Bench;

/// <summary>Warms up, then times repetitions of one or more actions.</summary>
internal static class Sampler
{
    /// <summary>
    /// Times every action <see cref="Repetitions.Reps"/> times, interleaved (A B A B ...), so that a
    /// change in machine load (another build on the same two cores) hits all of them alike and their
    /// ratio stays fair.
    /// </summary>
    public static Timing[] Interleaved(Repetitions repetitions, params Action[] actions)
    {
        for (var w = 0; w < repetitions.Warmup; w++)
            foreach (var action in actions) action();
        var seconds = actions.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < repetitions.Reps; r++)
        {
            for (var i = 0; i < actions.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                actions[i]();
                seconds[i].Add(clock.Elapsed.TotalSeconds);
            }
        }
        return seconds.Select(s => new Timing(s)).ToArray();
    }

    /// <summary>The asynchronous form of <see cref="Interleaved"/>.</summary>
    public static async Task<Timing[]> InterleavedAsync(Repetitions repetitions, params Func<Task>[] actions)
    {
        for (var w = 0; w < repetitions.Warmup; w++)
            foreach (var action in actions) await action().ConfigureAwait(false);
        var seconds = actions.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < repetitions.Reps; r++)
        {
            for (var i = 0; i < actions.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                await actions[i]().ConfigureAwait(false);
                seconds[i].Add(clock.Elapsed.TotalSeconds);
            }
        }
        return seconds.Select(s => new Timing(s)).ToArray();
    }
}
