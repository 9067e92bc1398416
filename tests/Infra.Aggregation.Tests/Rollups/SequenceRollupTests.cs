using Infra.Core.Errors;
using Infra.Aggregation.Rollups;

namespace Infra.Aggregation.Tests.Rollups;

public class SequenceRollupTests
{
    private const double Tolerance = 1e-12;

    private static SequenceScoreRecord Sequence(string example, int index, string queryDomain, string[] tags, int tokens, double score) =>
        new(example, index, "math", 3, queryDomain, tags.ToHashSet(StringComparer.Ordinal), tokens, score);

    // Math queries:                   tags                   tokens score  per token
    //   e1/0 verify                   {verification}          2      4      2
    //   e1/1                          {}                      4      2      0.5
    //   e2/0 verify + backtrack       {verification, backtracking} 1 -1    -1
    //   e2/1                          {}                      2      0      0
    //   e3/0                          {}                      1      1      1
    private static SequenceRollup Rollup()
    {
        var accumulator = new SequenceRollupAccumulator(new RollupOptions { TopK = 2 });
        accumulator.Add(Sequence("e1", 0, "math", ["verification"], 2, 4));
        accumulator.Add(Sequence("e1", 1, "math", [], 4, 2));
        accumulator.Add(Sequence("e2", 0, "math", ["verification", "backtracking"], 1, -1));
        accumulator.Add(Sequence("e2", 1, "math", [], 2, 0));
        accumulator.Add(Sequence("e3", 0, "math", [], 1, 1));
        accumulator.Add(Sequence("e3", 0, "code", ["verification"], 5, 10));
        return accumulator.Finish();
    }

    [Fact]
    public void Behaviour_comparison_matches_hand_computed_means()
    {
        var rollup = Rollup();
        var math = rollup.BehaviourComparison("math");

        Assert.Equal(["backtracking", "verification"], math.Select(row => row.Tag));
        var verification = math[1];
        Assert.Equal(2, verification.TaggedN);
        Assert.Equal(1.5, verification.TaggedMeanScore, Tolerance);        // (4 - 1) / 2
        Assert.Equal(0.5, verification.TaggedMeanPerToken, Tolerance);     // (2 - 1) / 2
        Assert.Equal(3, verification.UntaggedN);
        Assert.Equal(1, verification.UntaggedMeanScore, Tolerance);        // (2 + 0 + 1) / 3
        Assert.Equal(0.5, verification.UntaggedMeanPerToken, Tolerance);   // (0.5 + 0 + 1) / 3
        Assert.Equal(0.5, verification.ScoreDifference, Tolerance);
        Assert.Equal(0, verification.PerTokenDifference, Tolerance);
        var backtracking = math[0];
        Assert.Equal(1, backtracking.TaggedN);
        Assert.Equal(-2, backtracking.ScoreDifference, Tolerance);
        Assert.Equal(-1.5, backtracking.PerTokenDifference, Tolerance);
        // One tagged value (-1) against untagged resample means within [0, 2]: the difference lies in [-3, -1].
        Assert.InRange(backtracking.ScoreDifferenceCiLow, -3, backtracking.ScoreDifferenceCiHigh);
        Assert.InRange(backtracking.ScoreDifferenceCiHigh, backtracking.ScoreDifferenceCiLow, -1);
        Assert.Equal(math, Rollup().BehaviourComparison("math")); // bootstrap seeded: same rows again

        var code = Assert.Single(rollup.BehaviourComparison("code"));
        Assert.Equal(0, code.UntaggedN);
        Assert.True(double.IsNaN(code.ScoreDifference) && double.IsNaN(code.ScoreDifferenceCiLow));
        Assert.Equal(3, rollup.BehaviourComparison().Count);
    }

    [Fact]
    public void Top_and_bottom_sequences_are_bounded_and_ordered()
    {
        var rollup = Rollup();

        Assert.Equal([("e1", 0), ("e1", 1)], rollup.TopSequences("math").Select(s => (s.ExampleId, s.SequenceIndex)));
        Assert.Equal([("e2", 0), ("e2", 1)], rollup.BottomSequences("math").Select(s => (s.ExampleId, s.SequenceIndex)));
        Assert.Equal(["code", "math"], rollup.QueryDomains);
        Assert.Throws<DomainException>(() => rollup.TopSequences("poetry"));
    }

    [Fact]
    public void Bad_sequence_records_are_rejected()
    {
        var accumulator = new SequenceRollupAccumulator();

        Assert.Throws<DomainException>(accumulator.Finish);
        Assert.Throws<DomainException>(() => accumulator.Add(Sequence("e", 0, "math", [], 0, 1)));
        Assert.Throws<DomainException>(() => accumulator.Add(Sequence("e", 0, "math", [], 3, double.NaN)));
        Assert.Throws<DomainException>(() => accumulator.Add(Sequence("e", 0, "math", [""], 3, 1)));
        Assert.Throws<DomainException>(() => accumulator.Add(Sequence("", 0, "math", [], 3, 1)));
        Assert.Equal(0, accumulator.Count);
    }
}
