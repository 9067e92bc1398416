using Infra.Core.Errors;
using Infra.Aggregation.Tokens;

namespace Infra.Aggregation.Tests.Tokens;

public sealed class TokenRankingAccumulatorTests
{
    [Fact]
    public void Counts_sums_means_and_rankings_match_hand_computed_values()
    {
        var accumulator = new TokenRankingAccumulator(new TokenRankingOptions { MinCount = 2, RankCount = 2 });
        // math: " so" x3 (1, 2, 3.5) and "so" once (0.5): one token after trimming, count 4, sum 7, mean 1.75.
        accumulator.Add(" so", TokenCategory.NaturalLanguageConnector, 1, "math");
        accumulator.Add(" so", TokenCategory.NaturalLanguageConnector, 2, "math");
        accumulator.Add(" so", TokenCategory.NaturalLanguageConnector, 3.5, "math");
        accumulator.Add("so ", TokenCategory.NaturalLanguageConnector, 0.5, "math");
        // " =" x2 (-1, -2): mean -1.5; "7" x2 (0.25, 0.75): mean 0.5; " cat" once (100): below MinCount.
        accumulator.Add(" =", TokenCategory.Operator, -1, "math");
        accumulator.Add("=", TokenCategory.Operator, -2, "math");
        accumulator.Add("7", TokenCategory.Number, 0.25, "math");
        accumulator.Add("7", TokenCategory.Number, 0.75, "math");
        accumulator.Add(" cat", TokenCategory.Word, 100, "math");
        // code: "if" as a keyword stays apart from "if" as a connector.
        accumulator.Add(" if", TokenCategory.CodeKeyword, 4, "code");
        accumulator.Add("if", TokenCategory.NaturalLanguageConnector, -4, "code");
        accumulator.Add("\n", TokenCategory.Whitespace, 1, "code");
        accumulator.Add("    ", TokenCategory.PunctuationSyntax, 2, "code");

        var math = accumulator.Result("math");
        Assert.Equal(9, math.Count);
        Assert.Equal(7 - 3 + 1 + 100, math.Sum, 12);
        Assert.Equal(
        [
            ("cat", TokenCategory.Word, 1L, 100.0),
            ("so", TokenCategory.NaturalLanguageConnector, 4L, 7.0),
            ("7", TokenCategory.Number, 2L, 1.0),
            ("=", TokenCategory.Operator, 2L, -3.0),
        ], math.Tokens.Select(t => (t.Token, t.Category, t.Count, t.Sum)));
        Assert.Equal(1.75, math.Tokens[1].Mean, 12);
        Assert.Equal(["so", "7"], math.Top.Select(t => t.Token));
        Assert.Equal(["=", "7"], math.Bottom.Select(t => t.Token));
        Assert.Equal(
        [
            (TokenCategory.NaturalLanguageConnector, 4L, 7.0, 1.75),
            (TokenCategory.Number, 2L, 1.0, 0.5),
            (TokenCategory.Operator, 2L, -3.0, -1.5),
            (TokenCategory.Word, 1L, 100.0, 100.0),
        ], math.Categories.Select(c => (c.Category, c.Count, c.Sum, c.Mean)));

        var code = accumulator.Result("code");
        Assert.Equal(4, code.Tokens.Count);
        Assert.Contains(code.Tokens, t => t is { Token: "if", Category: TokenCategory.CodeKeyword, Sum: 4 });
        Assert.Contains(code.Tokens, t => t is { Token: "if", Category: TokenCategory.NaturalLanguageConnector, Sum: -4 });
        Assert.Contains(code.Tokens, t => t.Token == "\n");
        Assert.Contains(code.Tokens, t => t.Token == "    ");
        Assert.Empty(code.Top); // nothing seen twice
        Assert.Equal(["math", "code"], accumulator.Domains);
        Assert.Equal(["code", "math"], accumulator.Results().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Default_options_rank_twenty_tokens_seen_at_least_five_times()
    {
        var accumulator = new TokenRankingAccumulator();
        for (var token = 0; token < 30; token++)
        {
            for (var i = 0; i < (token % 2 == 0 ? 5 : 4); i++)
                accumulator.Add($"t{token}", TokenCategory.Word, token, "math");
        }
        var ranking = accumulator.Result("math");
        Assert.Equal(30, ranking.Tokens.Count);
        Assert.Equal(15, ranking.Top.Count); // only the 15 even tokens are seen 5 times; fewer than 20 qualify
        Assert.Equal("t28", ranking.Top[0].Token);
        Assert.Equal("t0", ranking.Bottom[0].Token);
        Assert.All(ranking.Top, t => Assert.Equal(5, t.Count));
    }

    [Fact]
    public void Memory_is_bounded_by_the_vocabulary_not_the_stream()
    {
        var accumulator = new TokenRankingAccumulator();
        for (var i = 0; i < 100_000; i++)
            accumulator.Add(i % 2 == 0 ? " so" : "7", i % 2 == 0 ? TokenCategory.NaturalLanguageConnector : TokenCategory.Number, 0.5, "math");
        var ranking = accumulator.Result("math");
        Assert.Equal(2, ranking.Tokens.Count);
        Assert.Equal(100_000, ranking.Count);
        Assert.Equal(50_000, ranking.Sum, 9);
    }

    [Fact]
    public void Unknown_domain_is_empty_and_bad_inputs_are_refused()
    {
        var accumulator = new TokenRankingAccumulator();
        var empty = accumulator.Result("code");
        Assert.Empty(empty.Tokens);
        Assert.Equal(0, empty.Count);
        Assert.Throws<DomainException>(() => accumulator.Add("x", TokenCategory.Word, double.NaN, "math"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenRankingAccumulator(new TokenRankingOptions { MinCount = 0 }));
    }

    [Theory]
    [InlineData(" so", "so")]
    [InlineData("so\n", "so")]
    [InlineData("\n", "\n")]
    [InlineData("    ", "    ")]
    public void Normalise_trims_but_keeps_whitespace_only_tokens(string token, string expected) =>
        Assert.Equal(expected, TokenRankingAccumulator.Normalise(token));
}
