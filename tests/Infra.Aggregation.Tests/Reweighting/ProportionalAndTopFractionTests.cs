using Infra.Core.Errors;
using Infra.Aggregation.Reweighting;

namespace Infra.Aggregation.Tests.Reweighting;

public class ProportionalAndTopFractionTests
{
    private const double Tolerance = 1e-12;

    private static readonly WeightingExample[] Examples =
    [
        new("a", "math", 1, 2),
        new("b", "math", 2, 0),
        new("c", "code", 1, -1),
        new("d", "code", 2, 6),
    ];

    [Fact]
    public void Proportional_weights_by_hand()
    {
        // u = (2, 0, 0, 6), mean 2 → v = (1, 0, 0, 3) → floored (1, .1, .1, 3), mean 1.05.
        var weights = ProportionalWeights.Compute(Examples).Select(w => w.Weight).ToArray();
        Assert.Equal([1 / 1.05, 0.1 / 1.05, 0.1 / 1.05, 3 / 1.05], weights, new ToleranceComparer(Tolerance));
        Assert.Equal(1, weights.Average(), Tolerance);

        // p = 2: u = (4, 0, 0, 36), mean 10 → v = (.4, 0, 0, 3.6) → floored (.4, .1, .1, 3.6), mean 1.05.
        var squared = ProportionalWeights.Compute(Examples, new ProportionalWeightOptions { Power = 2 }).Select(w => w.Weight);
        Assert.Equal([0.4 / 1.05, 0.1 / 1.05, 0.1 / 1.05, 3.6 / 1.05], squared, new ToleranceComparer(Tolerance));
    }

    [Fact]
    public void Proportional_weights_with_no_positive_influence_are_uniform()
    {
        var weights = ProportionalWeights.Compute([new("a", "math", 1, -1), new("b", "math", 1, 0)]);
        Assert.All(weights, w => Assert.Equal(1, w.Weight));
    }

    [Fact]
    public void Proportional_weights_need_every_influence()
    {
        var error = Assert.Throws<DomainException>(() => ProportionalWeights.Compute([new("a", "math", 1, 1), new("b", "math", 1, double.NaN)]));
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_fraction_keeps_the_most_influential_with_ties_by_id()
    {
        WeightingExample[] examples = [new("a", "math", 1, 3), new("b", "math", 1, 1), new("d", "code", 1, 2), new("c", "code", 1, 2), new("e", "code", 1, 0)];

        Assert.Equal([1.0, 0, 1, 1, 0], TopFractionSelection.Select(examples).Select(w => w.Weight));        // ceil(2.5) = 3
        Assert.Equal([1.0, 0, 0, 1, 0], TopFractionSelection.Select(examples, 0.4).Select(w => w.Weight));   // 2: a, then c before d
        var ten = Enumerable.Range(0, 10).Select(i => new WeightingExample($"x{i}", "math", 1, i)).ToArray();
        Assert.Equal(3, TopFractionSelection.Select(ten, 0.3).Count(w => w.Weight == 1));                    // 0.3 x 10 is 3, not 4
        Assert.Equal(10, TopFractionSelection.Select(ten, 1).Count(w => w.Weight == 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TopFractionSelection.Select(ten, 0));
        Assert.Throws<DomainException>(() => TopFractionSelection.Select([new("a", "math", 1, double.NaN)]));
    }

    [Fact]
    public void Summary_shares_and_means_by_hand()
    {
        WeightingExample[] examples = [new("a", "math", 1, 2, Tokens: 1), new("b", "math", 1, 4, Tokens: 3), new("c", "code", 2, double.NaN, Tokens: 4)];
        WeightedExample[] weighted = [new(examples[0], 2), new(examples[1], 1), new(examples[2], 0.5)];

        var summary = ReweightingSummary.Summarize(weighted);

        // Old tokens 1 + 3 + 4 = 8; new 2 + 3 + 2 = 7.
        Assert.Equal(
            [new ReweightingCellSummary("code", 2, 1, 4.0 / 8, 2.0 / 7, 0.5, double.NaN), new ReweightingCellSummary("math", 1, 2, 4.0 / 8, 5.0 / 7, 1.5, 3)],
            summary);
    }
}
