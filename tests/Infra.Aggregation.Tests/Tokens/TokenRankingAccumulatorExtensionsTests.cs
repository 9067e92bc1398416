using Infra.Core.Errors;
using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tokens;

namespace Infra.Aggregation.Tests.Tokens;

public sealed class TokenRankingAccumulatorExtensionsTests
{
    [Fact]
    public void A_mapped_response_adds_each_response_token_per_query_domain_in_its_context()
    {
        // Prompt "Q " (unmasked), response "if so.\n```\nif x\n```" and <|im_end|>; columns: math, code.
        const string text = "Q if so.\n```\nif x\n```<|im_end|>";
        string[] tokens = ["Q", " ", "if", " so", ".\n", "```\n", "if", " x", "\n", "```", "<|im_end|>"];
        var starts = new int[tokens.Length];
        for (var i = 1; i < tokens.Length; i++) starts[i] = starts[i - 1] + tokens[i - 1].Length;
        byte[] mask = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        var scores = Enumerable.Range(0, tokens.Length * 2).Select(i => (float)(i % 2 == 0 ? i : -i)).ToArray();
        var scored = new ScoredTokens(text, tokens, starts, tokens.Select(t => t.Length).ToArray(), mask, scores, 2);
        var map = SequenceTokenMap.Build(scored, SegmentationMode.Prose);
        var accumulator = new TokenRankingAccumulator(new TokenRankingOptions { MinCount = 1 });
        accumulator.AddResponse(map, ["math", "code"]);
        var math = accumulator.Result("math");
        var code = accumulator.Result("code");
        Assert.Equal(9, math.Count);
        Assert.Equal(9, code.Count);
        // Token t scores 2t for math and -(2t + 1) for code; "if" at 2 is a connector (prose), at 6 a keyword (fenced code).
        Assert.Contains(math.Tokens, s => s is { Token: "if", Category: TokenCategory.NaturalLanguageConnector, Sum: 4 });
        Assert.Contains(math.Tokens, s => s is { Token: "if", Category: TokenCategory.CodeKeyword, Sum: 12 });
        Assert.Contains(code.Tokens, s => s is { Token: "if", Category: TokenCategory.CodeKeyword, Sum: -13 });
        Assert.Contains(math.Tokens, s => s is { Token: "x", Category: TokenCategory.Identifier, Sum: 14 });
        Assert.Contains(math.Tokens, s => s is { Token: "<|im_end|>", Category: TokenCategory.Special, Sum: 20 });
        Assert.Equal(Enumerable.Range(2, 9).Sum(t => 2.0 * t), math.Sum, 12);
        Assert.Throws<DomainException>(() => accumulator.AddResponse(map, ["math"]));
    }
}
