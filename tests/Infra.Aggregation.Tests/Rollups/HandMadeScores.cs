using Infra.Aggregation.Rollups;

namespace Infra.Aggregation.Tests.Rollups;

/// <summary>
/// A 5 x 3 score matrix small enough to roll up by hand. Rows m1 m2 m3 (math, difficulty 1 1 5),
/// c1 c2 (code, 1 2); columns qm1 qm2 (math queries), qc1 (code query):
///   m1:  1    3   10   → math mean  2,  code 10, all 14/3
///   m2: -2    0   NaN  → math mean -1,  code —,  all -1
///   m3:  4    6   -1   → math mean  5,  code -1, all 3
///   c1:  0.5  0.5  2   → math mean  0.5, code 2, all 1
///   c2: -1   -3    4   → math mean -2,  code 4,  all 0
/// </summary>
internal static class HandMadeScores
{
    public static readonly ExampleAttributes[] Examples =
    [
        new("m1", "math", 1),
        new("m2", "math", 1),
        new("m3", "math", 5),
        new("c1", "code", 1),
        new("c2", "code", 2),
    ];

    public static readonly QueryAttributes[] Queries =
    [
        new("qm1", "math"),
        new("qm2", "math"),
        new("qc1", "code"),
    ];

    public static readonly double[,] Matrix =
    {
        { 1, 3, 10 },
        { -2, 0, double.NaN },
        { 4, 6, -1 },
        { 0.5, 0.5, 2 },
        { -1, -3, 4 },
    };

    /// <summary>The sub-matrix of the given rows and columns as one chunk, in the order given.</summary>
    public static ScoreBlock Block(double[,] matrix, IReadOnlyList<ExampleAttributes> examples, IReadOnlyList<QueryAttributes> queries, int[] rows, int[] columns)
    {
        var raw = new double[rows.Length * columns.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                raw[(r * columns.Length) + c] = matrix[rows[r], columns[c]];
            }
        }
        return new ScoreBlock(rows.Select(r => examples[r].Id).ToArray(), columns.Select(c => queries[c].Id).ToArray(), raw);
    }

    public static ScoreBlock Whole() => Block(Matrix, Examples, Queries, [0, 1, 2, 3, 4], [0, 1, 2]);

    public static InfluenceRollup Rollup(int topK = 3)
    {
        var accumulator = new InfluenceAccumulator(Examples, Queries, new RollupOptions { TopK = topK });
        accumulator.Add(Whole());
        return accumulator.Finish();
    }
}
