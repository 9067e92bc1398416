using Infra.Aggregation.Rollups;
using Infra.Core.Errors;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Tests.Rollups;

public class InfluenceAccumulatorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Per_example_influence_is_the_mean_over_the_domains_queries_skipping_NaN()
    {
        var rollup = HandMadeScores.Rollup();

        Assert.Equal(2, rollup.ExampleInfluence("m1", "math"), Tolerance);
        Assert.Equal(10, rollup.ExampleInfluence("m1", "code"), Tolerance);
        Assert.Equal(14.0 / 3, rollup.ExampleInfluence("m1", InfluenceRollup.AllQueries), Tolerance);
        Assert.Equal(-1, rollup.ExampleInfluence("m2", InfluenceRollup.AllQueries), Tolerance);
        Assert.True(double.IsNaN(rollup.ExampleInfluence("m2", "code")));
        Assert.Equal(0, rollup.ExampleQueryCount("m2", "code"));
        Assert.Equal(2, rollup.ExampleQueryCount("m2", InfluenceRollup.AllQueries));
        Assert.Equal(["code", "math"], rollup.QueryDomains);
        Assert.Equal(["code", "math"], rollup.TrainingDomains);
    }

    [Fact]
    public void Domain_difficulty_table_matches_hand_computed_cells()
    {
        var table = HandMadeScores.Rollup().DomainDifficultyTable("math");

        Assert.Equal(
            [("code", (int?)1), ("code", 2), ("code", null), ("math", 1), ("math", 5), ("math", null)],
            table.Select(cell => (cell.TrainingDomain, cell.Difficulty)));
        Assert.All(table, cell => Assert.Equal("math", cell.QueryDomain));
        AssertStats(Cell(table, "math", 1), n: 2, mean: 0.5, median: 0.5, sum: 1, sharePositive: 0.5);   // m1 2, m2 -1
        AssertStats(Cell(table, "math", 5), n: 1, mean: 5, median: 5, sum: 5, sharePositive: 1);         // m3 5
        AssertStats(Cell(table, "math", null), n: 3, mean: 2, median: 2, sum: 6, sharePositive: 2.0 / 3); // odd n: middle value
        AssertStats(Cell(table, "code", 1), n: 1, mean: 0.5, median: 0.5, sum: 0.5, sharePositive: 1);
        AssertStats(Cell(table, "code", 2), n: 1, mean: -2, median: -2, sum: -2, sharePositive: 0);
        AssertStats(Cell(table, "code", null), n: 2, mean: -0.75, median: -0.75, sum: -1.5, sharePositive: 0.5);
    }

    [Fact]
    public void Code_queries_leave_out_the_example_they_did_not_score()
    {
        var table = HandMadeScores.Rollup().DomainDifficultyTable("code");

        AssertStats(Cell(table, "math", 1), n: 1, mean: 10, median: 10, sum: 10, sharePositive: 1); // m2 unscored (NaN)
        AssertStats(Cell(table, "math", null), n: 2, mean: 4.5, median: 4.5, sum: 9, sharePositive: 0.5);
        AssertStats(Cell(table, "code", null), n: 2, mean: 3, median: 3, sum: 6, sharePositive: 1);
    }

    [Fact]
    public void Cross_domain_matrix_has_every_query_domain_then_all_queries()
    {
        var rollup = HandMadeScores.Rollup();
        var matrix = rollup.CrossDomainMatrix();

        Assert.Equal(18, matrix.Count); // (code, math, all) x 6 cells
        Assert.Equal(["code", "math", InfluenceRollup.AllQueries], matrix.Select(cell => cell.QueryDomain).Distinct());
        Assert.Equal(rollup.DomainDifficultyTable("code"), matrix.Take(6));
        // all queries, math difficulty 1: m1 14/3, m2 -1.
        AssertStats(matrix.Single(cell => cell.QueryDomain == InfluenceRollup.AllQueries && cell.TrainingDomain == "math" && cell.Difficulty == 1),
            n: 2, mean: 11.0 / 6, median: 11.0 / 6, sum: 11.0 / 3, sharePositive: 0.5);
    }

    [Fact]
    public void Top_and_bottom_examples_and_scores_are_ordered()
    {
        var rollup = HandMadeScores.Rollup(topK: 3);

        Assert.Equal(["m3", "m1", "c1"], rollup.TopExamples("math").Select(e => e.ExampleId));
        Assert.Equal(["c2", "m2", "c1"], rollup.BottomExamples("math").Select(e => e.ExampleId));
        Assert.Equal(new RankedExample("m3", "math", 5, 5, 2), rollup.TopExamples("math")[0]);
        Assert.Equal(["m1", "c2", "c1"], rollup.TopExamples("code").Select(e => e.ExampleId)); // m2 unscored: absent
        Assert.Equal(
            [new ScoredPair("m3", "qm2", 6), new ScoredPair("m3", "qm1", 4), new ScoredPair("m1", "qm2", 3)],
            rollup.TopScores("math"));
        Assert.Equal(
            [new ScoredPair("c2", "qm2", -3), new ScoredPair("m2", "qm1", -2), new ScoredPair("c2", "qm1", -1)],
            rollup.BottomScores("math"));
    }

    [Fact]
    public void Ties_are_broken_by_id_whatever_the_feed_order()
    {
        ExampleAttributes[] examples = [new("b", "math", 1), new("a", "math", 1), new("c", "math", 2), new("d", "math", 3)];
        QueryAttributes[] queries = [new("q", "math")];
        double[,] matrix = { { 1 }, { 1 }, { 1 }, { 0 } };
        foreach (var order in new[] { new[] { 0, 1, 2, 3 }, [3, 2, 1, 0], [2, 0, 3, 1] })
        {
            var accumulator = new InfluenceAccumulator(examples, queries, new RollupOptions { TopK = 2 });
            foreach (var row in order)
            {
                accumulator.Add(HandMadeScores.Block(matrix, examples, queries, [row], [0]));
            }
            var rollup = accumulator.Finish();
            Assert.Equal(["a", "b"], rollup.TopExamples("math").Select(e => e.ExampleId));
            Assert.Equal(["d", "a"], rollup.BottomExamples("math").Select(e => e.ExampleId));
            Assert.Equal(["a", "b"], rollup.TopScores("math").Select(p => p.ExampleId));
        }
    }

    [Fact]
    public void Different_chunkings_give_identical_results()
    {
        var whole = HandMadeScores.Rollup();
        var byRows = new InfluenceAccumulator(HandMadeScores.Examples, HandMadeScores.Queries, new RollupOptions { TopK = 3 });
        byRows.Add(HandMadeScores.Block(HandMadeScores.Matrix, HandMadeScores.Examples, HandMadeScores.Queries, [4, 2], [0, 1, 2]));
        byRows.Add(HandMadeScores.Block(HandMadeScores.Matrix, HandMadeScores.Examples, HandMadeScores.Queries, [0], [0, 1, 2]));
        byRows.Add(HandMadeScores.Block(HandMadeScores.Matrix, HandMadeScores.Examples, HandMadeScores.Queries, [3, 1], [0, 1, 2]));
        var byColumns = new InfluenceAccumulator(HandMadeScores.Examples, HandMadeScores.Queries, new RollupOptions { TopK = 3 });
        byColumns.Add(HandMadeScores.Block(HandMadeScores.Matrix, HandMadeScores.Examples, HandMadeScores.Queries, [0, 1, 2, 3, 4], [2]));
        byColumns.Add(HandMadeScores.Block(HandMadeScores.Matrix, HandMadeScores.Examples, HandMadeScores.Queries, [3, 1, 0, 2, 4], [1, 0]));

        foreach (var other in new[] { byRows.Finish(), byColumns.Finish() })
        {
            AssertSameRollup(whole, other);
        }
    }

    [Fact]
    public void Random_matrix_in_random_chunks_gives_identical_results()
    {
        var random = new Random(7);
        var examples = Enumerable.Range(0, 40).Select(i => new ExampleAttributes($"e{i:D2}", i % 3 == 0 ? "code" : "math", 1 + (i % 5))).ToArray();
        var queries = Enumerable.Range(0, 12).Select(i => new QueryAttributes($"q{i:D2}", i % 2 == 0 ? "math" : "code")).ToArray();
        var matrix = new double[examples.Length, queries.Length];
        for (var e = 0; e < examples.Length; e++)
        {
            for (var q = 0; q < queries.Length; q++)
            {
                // Multiples of 2^-10 below 2^6: every partial sum is exact, so splitting a row's
                // queries across chunks cannot change a sum by rounding and results must be bit-identical.
                matrix[e, q] = random.Next(-20, 21) == 0 ? double.NaN : Math.Round((random.NextDouble() - 0.4) * 4 * 1024) / 1024;
            }
        }
        var options = new RollupOptions { TopK = 5, Bootstrap = new BootstrapOptions { Resamples = 200, Seed = 3 } };
        var reference = new InfluenceAccumulator(examples, queries, options);
        reference.Add(HandMadeScores.Block(matrix, examples, queries, Enumerable.Range(0, 40).ToArray(), Enumerable.Range(0, 12).ToArray()));
        var expected = reference.Finish();

        for (var trial = 0; trial < 3; trial++)
        {
            var chunked = new InfluenceAccumulator(examples, queries, options);
            var rows = Enumerable.Range(0, 40).OrderBy(_ => random.Next()).ToArray();
            var columns = Enumerable.Range(0, 12).OrderBy(_ => random.Next()).ToArray();
            var blocks = new List<ScoreBlock>();
            for (var r = 0; r < rows.Length;)
            {
                var rowCount = Math.Min(random.Next(1, 9), rows.Length - r);
                for (var c = 0; c < columns.Length;)
                {
                    var columnCount = Math.Min(random.Next(1, 6), columns.Length - c);
                    blocks.Add(HandMadeScores.Block(matrix, examples, queries, rows[r..(r + rowCount)], columns[c..(c + columnCount)]));
                    c += columnCount;
                }
                r += rowCount;
            }
            foreach (var block in blocks.OrderBy(_ => random.Next()))
            {
                chunked.Add(block);
            }
            AssertSameRollup(expected, chunked.Finish());
            Assert.Equal(reference.ScoresAdded, chunked.ScoresAdded);
            Assert.Equal(reference.ScoresSkipped, chunked.ScoresSkipped);
        }
    }

    [Fact]
    public void Unknown_example_or_query_in_a_chunk_is_rejected_with_its_id()
    {
        var accumulator = new InfluenceAccumulator(HandMadeScores.Examples, HandMadeScores.Queries);

        var unknownExample = Assert.Throws<DomainException>(() => accumulator.Add(new ScoreBlock(["m1", "x9"], ["qm1"], new double[] { 1, 2 })));
        Assert.Contains("unknown example 'x9'", unknownExample.Message, StringComparison.Ordinal);
        var unknownQuery = Assert.Throws<DomainException>(() => accumulator.Add(new ScoreBlock(["m1"], ["qz"], new double[] { 1 })));
        Assert.Contains("unknown query 'qz'", unknownQuery.Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => accumulator.Add(new ScoreBlock(["m1"], ["qm1", "qm2"], new double[] { 1 })));
        Assert.Throws<DomainException>(() => accumulator.Add(new ScoreBlock(["m1", "m1"], ["qm1"], new double[] { 1, 1 })));
        Assert.Throws<DomainException>(() => accumulator.Add(new ScoreBlock(["m1"], ["qm1"], new[] { double.PositiveInfinity })));
        Assert.Equal(0, accumulator.ScoresAdded);
    }

    [Fact]
    public void A_chunk_fed_twice_is_rejected_whole()
    {
        var accumulator = new InfluenceAccumulator(HandMadeScores.Examples, HandMadeScores.Queries, new RollupOptions { TopK = 3 });
        accumulator.Add(HandMadeScores.Whole());

        var error = Assert.Throws<DomainException>(() => accumulator.Add(HandMadeScores.Block(HandMadeScores.Matrix, HandMadeScores.Examples, HandMadeScores.Queries, [3, 0], [0])));
        Assert.Contains("fed twice", error.Message, StringComparison.Ordinal);
        AssertSameRollup(HandMadeScores.Rollup(), accumulator.Finish()); // nothing of the bad chunk was added
    }

    [Fact]
    public void Empty_input_is_an_error()
    {
        Assert.Throws<DomainException>(() => new InfluenceAccumulator([], HandMadeScores.Queries));
        Assert.Throws<DomainException>(() => new InfluenceAccumulator(HandMadeScores.Examples, []));
        Assert.Throws<DomainException>(() => new InfluenceAccumulator([new("a", "math", 1), new("a", "code", 1)], HandMadeScores.Queries));
        Assert.Throws<DomainException>(() => new InfluenceAccumulator(HandMadeScores.Examples, [new("q", InfluenceRollup.AllQueries)]));
        var accumulator = new InfluenceAccumulator(HandMadeScores.Examples, HandMadeScores.Queries);
        Assert.Throws<DomainException>(accumulator.Finish);
        accumulator.Add(new ScoreBlock(["m1"], ["qm1"], new[] { double.NaN })); // only filtered rows
        Assert.Equal(1, accumulator.ScoresSkipped);
        Assert.Throws<DomainException>(accumulator.Finish);
        Assert.Throws<DomainException>(() => HandMadeScores.Rollup().DomainDifficultyTable("poetry"));
    }

    private static RollupCell Cell(IReadOnlyList<RollupCell> table, string trainingDomain, int? difficulty) =>
        table.Single(cell => cell.TrainingDomain == trainingDomain && cell.Difficulty == difficulty);

    private static void AssertStats(RollupCell cell, int n, double mean, double median, double sum, double sharePositive)
    {
        var stats = cell.Statistics;
        Assert.Equal(n, stats.N);
        Assert.Equal(mean, stats.Mean, Tolerance);
        Assert.Equal(median, stats.Median, Tolerance);
        Assert.Equal(sum, stats.Sum, Tolerance);
        Assert.Equal(sharePositive, stats.SharePositive, Tolerance);
        Assert.InRange(stats.Mean, stats.CiLow, stats.CiHigh);
    }

    private static void AssertSameRollup(InfluenceRollup expected, InfluenceRollup actual)
    {
        Assert.Equal(expected.CrossDomainMatrix(), actual.CrossDomainMatrix());
        foreach (var domain in expected.QueryDomains.Append(InfluenceRollup.AllQueries))
        {
            Assert.Equal(expected.TopExamples(domain), actual.TopExamples(domain));
            Assert.Equal(expected.BottomExamples(domain), actual.BottomExamples(domain));
        }
        foreach (var domain in expected.QueryDomains)
        {
            Assert.Equal(expected.TopScores(domain), actual.TopScores(domain));
            Assert.Equal(expected.BottomScores(domain), actual.BottomScores(domain));
        }
    }
}
