using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>Qwen2.5 and plain rendering, and the loss mask, on the real Qwen tokenizer.</summary>
public sealed class ChatTemplateTests
{
    private const int ImStart = 151644;
    private const int ImEnd = 151645;

    private static HfTokenizer Tok => QwenTokenizers.Ours;

    [Fact]
    public void Qwen25_renders_HF_template_with_default_system()
    {
        var ex = ChatTemplate.Build(Tok, null, "What is 2+2?", "4", ChatFormat.Qwen25);
        const string expected =
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n";
        Assert.Equal(expected, ex.RenderedText);
        Assert.Equal(expected.IndexOf("assistant\n", StringComparison.Ordinal) + "assistant\n".Length, ex.ResponseCharStart);
        // <|im_start|> opens each of the three turns; <|im_end|> closes them; the last token is "\n".
        Assert.Equal(3, ex.Ids.Count(id => id == ImStart));
        Assert.Equal(3, ex.Ids.Count(id => id == ImEnd));
        Assert.Equal(ImStart, ex.Ids[0]);
        Assert.Equal(ImEnd, ex.Ids[^2]);
        Assert.Equal(Tok.Encode("\n").Ids, ex.Ids[^1..]);
        Assert.Equal(Tok.Encode(expected).Ids, ex.Ids);
    }

    [Fact]
    public void Qwen25_uses_given_system_or_configured_default()
    {
        var given = ChatTemplate.Build(Tok, "Be brief.", "Hi", "Hello!", ChatFormat.Qwen25);
        Assert.StartsWith("<|im_start|>system\nBe brief.<|im_end|>\n", given.RenderedText, StringComparison.Ordinal);
        var custom = ChatTemplate.Build(Tok, null, "Hi", "Hello!", ChatFormat.Qwen25, new ChatTemplateOptions { DefaultSystemMessage = "S" });
        Assert.StartsWith("<|im_start|>system\nS<|im_end|>\n", custom.RenderedText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Solve $x^{2}=4$.", "$x = \\pm 2$")]
    [InlineData("Write a loop", "for i in range(3):\n    print(i)")]
    [InlineData("你好", "你好！我是助手。😀")]
    [InlineData("Count", " 1 2 3")]
    [InlineData("Tabs", "\tindented\n")]
    public void Qwen25_mask_covers_exactly_response_and_im_end(string prompt, string response)
    {
        var ex = ChatTemplate.Build(Tok, null, prompt, response, ChatFormat.Qwen25);
        AssertConsistent(ex);
        var masked = ex.Ids.Where((_, i) => ex.LossMask[i] == 1).ToArray();
        Assert.Equal(response + "<|im_end|>", Tok.Decode(masked));
        Assert.Equal(ImEnd, masked[^1]);
        // The masked tokens are one contiguous run: everything before is prompt and headers,
        // the one token after is the template's trailing newline.
        var first = Array.IndexOf(ex.LossMask, (byte)1);
        var last = Array.LastIndexOf(ex.LossMask, (byte)1);
        Assert.All(ex.LossMask[first..(last + 1)], m => Assert.Equal(1, m));
        Assert.Equal(ex.Ids.Length - 2, last);
        Assert.Equal(ex.ResponseCharStart, ex.CharStarts[first]);
        Assert.Equal(ImStart, ex.Ids[first - 3]); // <|im_start|> "assistant" "\n" response...
        // Split encoding matches encoding the whole rendered text for these samples.
        Assert.Equal(Tok.Encode(ex.RenderedText).Ids, ex.Ids);
    }

    [Fact]
    public void Qwen25_response_starting_with_newline_keeps_its_own_tokens()
    {
        // The documented case where split and whole encoding differ: whole-text BPE would merge
        // the header's "\n" with the response's into "\n\n"; the border is kept instead.
        var ex = ChatTemplate.Build(Tok, null, "Hi", "\nHello", ChatFormat.Qwen25);
        AssertConsistent(ex);
        Assert.NotEqual(Tok.Encode(ex.RenderedText).Ids, ex.Ids);
        Assert.Equal("\nHello<|im_end|>", Tok.Decode(ex.Ids.Where((_, i) => ex.LossMask[i] == 1)));
    }

    [Fact]
    public void Plain_masks_response_and_eos()
    {
        var ex = ChatTemplate.Build(Tok, null, "Question: 2+2? Answer:", " 4", ChatFormat.Plain);
        AssertConsistent(ex);
        Assert.Equal("Question: 2+2? Answer: 4<|im_end|>", ex.RenderedText);
        var promptIds = Tok.Encode("Question: 2+2? Answer:").Ids;
        var responseIds = Tok.Encode(" 4").Ids; // " ", "4": Qwen splits digits one by one
        Assert.Equal([.. promptIds, .. responseIds, ImEnd], ex.Ids);
        Assert.Equal([.. promptIds.Select(_ => (byte)0), .. responseIds.Select(_ => (byte)1), 1], ex.LossMask);
        Assert.Equal("Question: 2+2? Answer:".Length, ex.ResponseCharStart);
    }

    [Fact]
    public void Plain_without_eos_masks_response_only()
    {
        var ex = ChatTemplate.Build(Tok, "ignored", "a b", " c d", ChatFormat.Plain, new ChatTemplateOptions { AppendEos = false });
        AssertConsistent(ex);
        Assert.Equal("a b c d", ex.RenderedText);
        Assert.Equal(" c d", Tok.Decode(ex.Ids.Where((_, i) => ex.LossMask[i] == 1)));
        Assert.DoesNotContain(ImEnd, ex.Ids);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => EncodedExample.FromTokens([1, 2, 3], [0, 1]));
        Assert.Throws<ArgumentException>(() => EncodedExample.FromTokens([1, 2], [0, 2]));
        Assert.Throws<ArgumentException>(() => EncodedExample.FromTokens([-1, 2], [0, 1]));
        var ok = EncodedExample.FromTokens([5, 6], [0, 1]);
        Assert.Equal([5, 6], ok.Ids);
        Assert.Equal([0, 1], ok.LossMask);
        Assert.Throws<ArgumentException>(() =>
            ChatTemplate.Build(Tok, null, "p", "", ChatFormat.Plain, new ChatTemplateOptions { AppendEos = false }));
        Assert.Throws<ArgumentNullException>(() => ChatTemplate.Build(Tok, null, null!, "r", ChatFormat.Qwen25));
    }

    [Fact]
    public void Qwen25_needs_im_tokens()
    {
        using var dir = new TempFolder();
        dir.Write("tokenizer.json", ByteLevelTokenizerJson.Create(["<|endoftext|>"]));
        var bytesOnly = HfTokenizer.LoadFolder(dir.Path);
        Assert.Throws<ArgumentException>(() => ChatTemplate.Build(bytesOnly, null, "p", "r", ChatFormat.Qwen25));
    }

    private static void AssertConsistent(EncodedExample ex)
    {
        Assert.Equal(ex.Ids.Length, ex.LossMask.Length);
        Assert.Equal(ex.Ids.Length, ex.CharStarts.Length);
        Assert.Equal(ex.Ids.Length, ex.CharLengths.Length);
        for (var i = 0; i < ex.Ids.Length; i++)
            Assert.InRange(ex.CharStarts[i] + ex.CharLengths[i], ex.CharStarts[i], ex.RenderedText.Length);
    }
}
