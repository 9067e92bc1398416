using System.Text.RegularExpressions;
using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>The split regex sees characters outside the BMP as one letter/digit/symbol, as HF's Rust regex does.</summary>
public sealed class CodePointRegexPreTokenizerTests
{
    private static readonly CodePointRegexPreTokenizer Splitter =
        new(new Regex(HfTokenizerFile.Qwen2Pattern), ["<|im_end|>", "<|im_end|>x"]);

    private static string[] Pieces(string text) =>
        Splitter.PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length)).ToArray();

    [Theory]
    [InlineData(" 𝟙𝟚", new[] { " ", "𝟙", "𝟚" })]       // astral digits: \p{N} one at a time
    [InlineData("a𝐀b c", new[] { "a𝐀b", " c" })]       // astral letter inside a word
    [InlineData("😀abc", new[] { "😀abc" })]           // one non-letter code point may lead a word
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("a<|im_end|>xb", new[] { "a", "<|im_end|>x", "b" })] // longest added token wins
    public void Splits_by_code_point(string text, string[] expected) =>
        Assert.Equal(expected, Pieces(text));
}
