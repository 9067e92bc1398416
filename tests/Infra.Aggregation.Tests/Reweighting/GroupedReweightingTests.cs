using Infra.Aggregation.Reweighting;
using Infra.Core.Errors;

namespace Infra.Aggregation.Tests.Reweighting;

/// <summary>The paper's literal rule, and the difficulty flip over a one-column grouping.</summary>
public sealed class GroupedReweightingTests
{
    // 4 domains: math and code with levels 1-3 (and one unlabelled math example), science with levels, chat unlabelled.
    private static readonly WeightingExample[] Corpus =
    [
        new("m1", "math", 1, double.NaN), new("m2", "math", 2, double.NaN), new("m3", "math", 3, double.NaN), new("m0", "math", 0, double.NaN),
        new("c1", "code", 1, double.NaN), new("c2", "code", 2, double.NaN), new("c3", "code", 3, double.NaN),
        new("s1", "science", 1, double.NaN), new("s3", "science", 3, double.NaN),
        new("h1", "chat", 0, double.NaN), new("h2", "chat", 0, double.NaN),
    ];

    [Fact]
    public void Paper_rule_up_weights_hard_math_and_easy_code_and_leaves_the_rest_at_one()
    {
        var weights = PaperRule.Compute(Corpus).ToDictionary(w => w.Example.Id, w => w.Weight);
        Assert.True(weights["m1"] < weights["m2"] && weights["m2"] < weights["m3"], "math weights rise with difficulty");
        Assert.True(weights["c1"] > weights["c2"] && weights["c2"] > weights["c3"], "code weights fall with difficulty");
        foreach (var id in new[] { "s1", "s3", "h1", "h2", "m0" })
        {
            Assert.Equal(1.0, weights[id]);
        }
        // Each domain keeps its budget (tokens 1: its example count).
        foreach (var domain in Corpus.GroupBy(e => e.Domain))
        {
            Assert.Equal(domain.Count(), domain.Sum(e => weights[e.Id]), 12);
        }
        // Levels 1, 2, 3: z = ∓1.2247, 0, ±1.2247; r = exp(z); the labelled math weights are rescaled to sum to 3.
        var z = Math.Sqrt(1.5);
        var raw = new[] { Math.Exp(-z), 1.0, Math.Exp(z) };
        Assert.Equal(3 * raw[2] / raw.Sum(), weights["m3"], 12);
        Assert.Equal(3 * raw[2] / raw.Sum(), weights["c1"], 12);
    }

    private static readonly string[] Untouched = ["m1", "m3", "c1", "c3"];

    [Fact]
    public void Paper_rule_follows_the_named_domains_and_knobs()
    {
        var weights = PaperRule.Compute(Corpus, new PaperRuleOptions { HarderDomains = ["science"], EasierDomains = [], Strength = 0.5, MaxWeight = 1.1 })
            .ToDictionary(w => w.Example.Id, w => w.Weight);
        Assert.True(weights["s3"] > weights["s1"]);
        Assert.Equal(2.0, weights["s1"] + weights["s3"], 12);
        foreach (var id in Untouched)
        {
            Assert.Equal(1.0, weights[id]);
        }
        // Clamped at 1.1 before the rescale: exp(0.5) = 1.65 would exceed it.
        Assert.Equal(2 * 1.1 / (Math.Exp(-0.5) + 1.1), weights["s3"], 12);
    }

    [Fact]
    public void Paper_rule_refuses_a_domain_that_is_both_harder_and_easier()
    {
        var error = Assert.Throws<DomainException>(() => PaperRule.Compute(Corpus, new PaperRuleOptions { HarderDomains = ["math"], EasierDomains = ["math"] }));
        Assert.Contains("'math'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Difficulty_flip_on_one_column_weights_each_group_by_its_mean_influence_keeping_the_total_budget()
    {
        // Group by source: three groups with mean influence 3, 1 and -1.
        WeightingExample Example(string id, string source, double influence) => new(id, "math", 1, influence) { Group = source, Subgroup = "" };
        WeightingExample[] examples =
        [
            Example("a1", "gsm8k", 2), Example("a2", "gsm8k", 4),
            Example("b1", "apps", 1),
            Example("c1", "sharegpt", -1), Example("c2", "sharegpt", -1), Example("c3", "sharegpt", -1),
        ];
        var result = DifficultyFlip.Compute(examples);
        Assert.Equal(["apps", "gsm8k", "sharegpt"], result.Cells.Select(c => c.Group));
        Assert.All(result.Cells, c => Assert.Equal("", c.Subgroup));
        var weight = result.Cells.ToDictionary(c => c.Group, c => c.Weight);
        Assert.True(weight["gsm8k"] > weight["apps"] && weight["apps"] > weight["sharegpt"]);
        Assert.Equal(examples.Length, result.Examples.Sum(w => w.Weight), 12);
        // z over the three groups' means (3, 1, -1): ±1.2247 and 0, standardised among all groups, not within one.
        var z = Math.Sqrt(1.5);
        Assert.Equal(z, result.Cells.Single(c => c.Group == "gsm8k").Z, 12);
        Assert.Equal(-z, result.Cells.Single(c => c.Group == "sharegpt").Z, 12);
    }

    [Fact]
    public void Summary_rows_follow_the_grouping_with_unlabelled_last()
    {
        var weighted = PaperRule.Compute(Corpus);
        var rows = ReweightingSummary.Summarize(weighted);
        Assert.Equal(["1", "2", "3"], rows.Where(r => r.Group == "code").Select(r => r.Subgroup));
        Assert.Equal(["1", "2", "3", "unlabelled"], rows.Where(r => r.Group == "math").Select(r => r.Subgroup));
        Assert.Equal(["chat", "code", "math", "science"], rows.Select(r => r.Group).Distinct());
        Assert.Equal(1.0, rows.Sum(r => r.NewShare), 12);
    }
}
