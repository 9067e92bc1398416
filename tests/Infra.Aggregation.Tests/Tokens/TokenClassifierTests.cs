using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tests.Sequences;
using Infra.Aggregation.Tokens;
using Infra.Core.Text;

namespace Infra.Aggregation.Tests.Tokens;

public sealed class TokenClassifierTests
{
    [Theory]
    [InlineData(" therefore", false, TokenCategory.NaturalLanguageConnector)]
    [InlineData(" So", false, TokenCategory.NaturalLanguageConnector)]
    [InlineData("if", false, TokenCategory.NaturalLanguageConnector)]
    [InlineData(" if", true, TokenCategory.CodeKeyword)]
    [InlineData(" in", false, TokenCategory.NaturalLanguageConnector)]
    [InlineData(" in", true, TokenCategory.CodeKeyword)]
    [InlineData(" and", true, TokenCategory.CodeKeyword)]
    [InlineData("def", true, TokenCategory.CodeKeyword)]
    [InlineData(" print", true, TokenCategory.CodeKeyword)]
    [InlineData("(len", true, TokenCategory.CodeKeyword)]
    [InlineData("(xs", true, TokenCategory.Identifier)]
    [InlineData(" total", true, TokenCategory.Identifier)]
    [InlineData(" total", false, TokenCategory.Word)]
    [InlineData(" print", false, TokenCategory.Word)]
    [InlineData("re", false, TokenCategory.Word)]
    [InlineData("'s", false, TokenCategory.Word)]
    [InlineData("7", false, TokenCategory.Number)]
    [InlineData(" 12", true, TokenCategory.Number)]
    [InlineData("3.5", false, TokenCategory.Number)]
    [InlineData("-4", false, TokenCategory.Number)]
    [InlineData("50%", false, TokenCategory.Number)]
    [InlineData(" =", false, TokenCategory.Operator)]
    [InlineData(" //", true, TokenCategory.Operator)]
    [InlineData("**", true, TokenCategory.Operator)]
    [InlineData(" >=", true, TokenCategory.Operator)]
    [InlineData(" +=", true, TokenCategory.Operator)]
    [InlineData("\u00D7", false, TokenCategory.Operator)]
    [InlineData("):\n", true, TokenCategory.PunctuationSyntax)]
    [InlineData(".\n", false, TokenCategory.PunctuationSyntax)]
    [InlineData(",", false, TokenCategory.PunctuationSyntax)]
    [InlineData("\"", true, TokenCategory.PunctuationSyntax)]
    [InlineData("```", false, TokenCategory.PunctuationSyntax)]
    [InlineData("   ", true, TokenCategory.PunctuationSyntax)]
    [InlineData("\t", true, TokenCategory.PunctuationSyntax)]
    [InlineData(" ", true, TokenCategory.Whitespace)]
    [InlineData("   ", false, TokenCategory.Whitespace)]
    [InlineData("\n", true, TokenCategory.Whitespace)]
    [InlineData("\n\n", false, TokenCategory.Whitespace)]
    [InlineData("<|im_end|>", false, TokenCategory.Special)]
    [InlineData("<|endoftext|>", true, TokenCategory.Special)]
    [InlineData("x=", true, TokenCategory.Other)]
    [InlineData("", false, TokenCategory.Whitespace)]
    public void Classifies_by_text_and_context(string token, bool inCode, TokenCategory expected) =>
        Assert.Equal(expected, TokenClassifier.Classify(token, inCode));

    [Theory]
    [InlineData("<|im_end|>", true)]
    [InlineData("<|im_start|>", true)]
    [InlineData("<|im_end|> ", false)]
    [InlineData("<im_end>", false)]
    [InlineData("|", false)]
    public void Special_tokens_are_written_in_angle_bars(string token, bool special) =>
        Assert.Equal(special, TokenClassifier.IsSpecialToken(token));

    [Fact]
    public void Real_tokens_of_a_mixed_response_take_their_sequences_context()
    {
        const string response = "I loop once, so the total is 12.\n```python\ndef f(xs):\n    for x in xs:\n        if x >= 2:\n            print(len(xs), x ** 2 // 3)\n    return total\n```";
        var example = ChatTemplate.Build(TestData.Tokenizer, null, "Q", response, ChatFormat.Qwen25);
        var map = SequenceTokenMap.Build(ScoredTokens.FromEncoded(example, new float[example.Ids.Length], 1), SegmentationMode.Code);
        var categories = Enumerable.Range(0, example.Ids.Length).Where(t => map.TokenSequence[t] >= 0)
            .Select(t => (Text: map.Tokens.Tokens[t], Category: TokenClassifier.Classify(map.Tokens.Tokens[t], map.Sequences[map.TokenSequence[t]].IsCode)))
            .ToList();
        Assert.Contains((" so", TokenCategory.NaturalLanguageConnector), categories);
        Assert.Contains((" total", TokenCategory.Word), categories);
        Assert.Contains((" total", TokenCategory.Identifier), categories);
        Assert.Contains((" in", TokenCategory.CodeKeyword), categories);
        Assert.Contains((" if", TokenCategory.CodeKeyword), categories);
        Assert.Contains(("def", TokenCategory.CodeKeyword), categories);
        Assert.Contains((" return", TokenCategory.CodeKeyword), categories);
        Assert.Contains((" //", TokenCategory.Operator), categories);
        Assert.Contains(("):\n", TokenCategory.PunctuationSyntax), categories);
        Assert.Contains(("       ", TokenCategory.PunctuationSyntax), categories);
        Assert.Contains(("2", TokenCategory.Number), categories);
        Assert.Equal(("<|im_end|>", TokenCategory.Special), categories[^1]);
    }
}
