using System.Globalization;
using System.Text;
using Infra.Aggregation.Rollups;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Tests.Rollups;

/// <summary>
/// A deterministic lab-shaped corpus (math and code, difficulties 1-5, 4 examples per cell) scored by
/// a closed-form matrix, whose default roll-up was snapshotted with the code as it was before grouping
/// by any column existed: the default grouping must reproduce it to the last bit.
/// </summary>
internal static class SnapshotCorpus
{
    public static readonly ExampleAttributes[] Examples =
    [
        .. from domain in new[] { "math", "code" }
           from difficulty in Enumerable.Range(1, 5)
           from i in Enumerable.Range(0, 4)
           select new ExampleAttributes($"{domain}-{difficulty}-{i}", domain, difficulty),
    ];

    public static readonly QueryAttributes[] Queries = [new("qm1", "math"), new("qm2", "math"), new("qc1", "code")];

    public static RollupOptions Options { get; } = new() { TopK = 3, Bootstrap = new BootstrapOptions { Resamples = 200, Seed = 7 } };

    /// <summary>Score of example row r on query column q: smooth, signed, and different per cell.</summary>
    public static double Score(int r, int q) => Math.Sin((r * 1.7) + (q * 0.9)) * (1 + (r % 5)) + (q == 2 ? 0.25 : -0.1);

    public static InfluenceRollup Rollup(IReadOnlyList<ExampleAttributes>? examples = null)
    {
        examples ??= Examples;
        var accumulator = new InfluenceAccumulator(examples, Queries, Options);
        var raw = new double[examples.Count * Queries.Length];
        for (var r = 0; r < examples.Count; r++)
        {
            for (var q = 0; q < Queries.Length; q++)
            {
                raw[(r * Queries.Length) + q] = Score(r, q);
            }
        }
        accumulator.Add(new ScoreBlock(examples.Select(e => e.Id).ToArray(), Queries.Select(q => q.Id).ToArray(), raw));
        return accumulator.Finish();
    }

    /// <summary>Every cell as one line: query domain, training domain, difficulty ("all"), and every statistic round-trippable.</summary>
    public static string Describe(IEnumerable<RollupCell> cells)
    {
        var text = new StringBuilder();
        foreach (var c in cells)
        {
            var s = c.Statistics;
            text.Append(CultureInfo.InvariantCulture,
                $"{c.QueryDomain}|{c.TrainingDomain}|{(c.Difficulty is { } d ? d.ToString(CultureInfo.InvariantCulture) : "all")}|{s.N}|{s.Mean:R}|{s.Median:R}|{s.Sum:R}|{s.SharePositive:R}|{s.CiLow:R}|{s.CiHigh:R}\n");
        }
        return text.ToString();
    }
}
