using Infra.Lab.Experiments;

namespace Infra.Lab.Tests.Experiments;

/// <summary>The experiment's arithmetic against hand-computed values: the token budget, the spread over seeds, the cell roll-up.</summary>
public sealed class ExperimentMathTests
{
    [Fact]
    public void Normalise_scales_weights_so_the_weighted_tokens_equal_the_tokens()
    {
        // tokens 10, 20, 30 (60); raw weights 1, 2, 0 weigh 10 + 40 + 0 = 50, so every weight is scaled by 60/50 = 1.2.
        int[] tokens = [10, 20, 30];
        var weights = TokenBudget.Normalise(tokens, [1.0, 2.0, 0.0]);
        Assert.Equal([1.2, 2.4, 0.0], weights.Select(w => Math.Round(w, 12)));
        Assert.Equal(60, TokenBudget.Weighted(tokens, weights), 12);
    }

    [Fact]
    public void Normalise_refuses_what_would_train_on_nothing_or_is_not_a_weight()
    {
        Assert.Throws<ArgumentException>(() => TokenBudget.Normalise([10], [0.0]));
        Assert.Throws<ArgumentException>(() => TokenBudget.Normalise([10], [-1.0]));
        Assert.Throws<ArgumentException>(() => TokenBudget.Normalise([10], [double.NaN]));
        Assert.Throws<ArgumentException>(() => TokenBudget.Normalise([10, 5], [1.0]));
    }

    [Fact]
    public void Spread_is_the_mean_sample_std_min_and_max()
    {
        // 0.1, 0.2, 0.6: mean 0.3, deviations -0.2, -0.1, 0.3, squares sum 0.14, sample variance 0.07.
        var spread = SeedSpread.Of([0.1, 0.2, 0.6]);
        Assert.Equal(3, spread.Seeds);
        Assert.Equal(0.3, spread.Mean, 12);
        Assert.Equal(Math.Sqrt(0.07), spread.StandardDeviation, 12);
        Assert.Equal(0.1, spread.Min);
        Assert.Equal(0.6, spread.Max);
        Assert.Equal(0, SeedSpread.Of([0.5]).StandardDeviation);
    }
}
