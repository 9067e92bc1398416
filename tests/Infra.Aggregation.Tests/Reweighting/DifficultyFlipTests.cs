using Infra.Core.Errors;
using Infra.Aggregation.Reweighting;

namespace Infra.Aggregation.Tests.Reweighting;

public class DifficultyFlipTests
{
    private const double Tolerance = 1e-12;

    // Cell means: math d1 (1+3)/2 = 2, math d5 6  → within math: mean 4, sd 2, z = -1, +1
    //             code d1 5,        code d3 1     → within code: mean 3, sd 2, z = +1, -1
    private static readonly WeightingExample[] Examples =
    [
        new("a1", "math", 1, 1),
        new("a2", "math", 1, 3),
        new("b1", "math", 5, 6),
        new("c1", "code", 1, 5),
        new("d1", "code", 3, 1),
        new("d2", "code", 3, 1),
    ];

    [Fact]
    public void Weights_match_the_formula_by_hand()
    {
        var result = DifficultyFlip.Compute(Examples);

        var e = Math.E;
        var inverse = 1 / Math.E;
        // Math: raw r = (e^-1, e^-1, e); budget 3 examples; s = 3 / (2 e^-1 + e).
        var mathScale = 3 / ((2 * inverse) + e);
        // Code: raw r = (e, e^-1, e^-1); s = 3 / (e + 2 e^-1) — the same scale.
        Assert.Equal([mathScale * inverse, mathScale * inverse, mathScale * e, mathScale * e, mathScale * inverse, mathScale * inverse],
            result.Examples.Select(w => w.Weight), new ToleranceComparer(Tolerance));
        var hardMath = result.Cells.Single(c => c.Domain == "math" && c.Difficulty == 5);
        Assert.Equal(new DifficultyFlipCell("math", 5, 1, 6, 1, e, mathScale * e), hardMath);
        Assert.Equal(-1, result.Cells.Single(c => c.Domain == "code" && c.Difficulty == 3).Z, Tolerance);
        Assert.Equal(Examples, result.Examples.Select(w => w.Example)); // input order kept
    }

    [Fact]
    public void Token_budget_is_kept_per_domain_and_in_total()
    {
        var withTokens = Examples.Select((example, i) => example with { Tokens = 10 + (7 * i) }).ToArray();
        foreach (var options in new[]
        {
            DifficultyFlipOptions.Default,
            new DifficultyFlipOptions { PreserveDomainBudget = false, StandardizeWithinDomain = false, Strength = 2 },
        })
        {
            var result = DifficultyFlip.Compute(withTokens, options);

            Assert.Equal(withTokens.Sum(x => x.Tokens), result.Examples.Sum(w => w.Weight * w.Example.Tokens), 1e-9);
            if (options.PreserveDomainBudget)
            {
                foreach (var domain in new[] { "math", "code" })
                {
                    Assert.Equal(withTokens.Where(x => x.Domain == domain).Sum(x => x.Tokens),
                        result.Examples.Where(w => w.Example.Domain == domain).Sum(w => w.Weight * w.Example.Tokens), 1e-9);
                }
            }
        }
    }

    [Fact]
    public void Across_cells_standardization_uses_every_cell()
    {
        // Cell means 2, 6, 5, 1: mean 3.5, population sd sqrt((2.25 + 6.25 + 2.25 + 6.25) / 4) = sqrt(4.25).
        var result = DifficultyFlip.Compute(Examples, new DifficultyFlipOptions { StandardizeWithinDomain = false });

        Assert.Equal((6 - 3.5) / Math.Sqrt(4.25), result.Cells.Single(c => c.Domain == "math" && c.Difficulty == 5).Z, Tolerance);
    }

    [Fact]
    public void Clamps_apply_before_the_rescale_and_unscored_cells_stay_neutral()
    {
        WeightingExample[] examples = [new("a", "math", 1, 0), new("b", "math", 2, 10), new("c", "math", 3, double.NaN)];

        var result = DifficultyFlip.Compute(examples, new DifficultyFlipOptions { Strength = 10 });

        Assert.Equal([0.25, 4.0, 1.0], result.Cells.Select(c => c.RawWeight));
        Assert.True(double.IsNaN(result.Cells[2].MeanInfluence));
        Assert.Equal(0, result.Cells[2].Z);
        var scale = 3 / 5.25;
        Assert.Equal([0.25 * scale, 4 * scale, scale], result.Examples.Select(w => w.Weight), new ToleranceComparer(Tolerance));
    }

    [Fact]
    public void Zero_strength_keeps_every_weight_at_one()
    {
        Assert.All(DifficultyFlip.Compute(Examples, new DifficultyFlipOptions { Strength = 0 }).Examples, w => Assert.Equal(1, w.Weight, Tolerance));
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<DomainException>(() => DifficultyFlip.Compute([]));
        Assert.Throws<DomainException>(() => DifficultyFlip.Compute([new("a", "math", 1, 1), new("a", "math", 2, 1)]));
        Assert.Throws<DomainException>(() => DifficultyFlip.Compute([new("a", "math", 1, 1, Tokens: 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DifficultyFlip.Compute(Examples, new DifficultyFlipOptions { MinWeight = 0 }));
    }
}
