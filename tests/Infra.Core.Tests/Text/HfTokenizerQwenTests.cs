using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>Offsets, decoding and vocabulary look-ups on the real Qwen tokenizer.</summary>
public sealed class HfTokenizerQwenTests
{
    private static HfTokenizer Tok => QwenTokenizers.Ours;

    [Fact]
    public void Known_ids_and_vocabulary()
    {
        Assert.Equal([9707, 1879], Tok.Encode("Hello world").Ids);
        Assert.Equal(["Hello", "Ġworld"], Tok.Encode("Hello world").Tokens);
        Assert.Equal(151644, Tok.TokenToId("<|im_start|>"));
        Assert.Equal(151645, Tok.TokenToId("<|im_end|>"));
        Assert.Equal("Ġworld", Tok.IdToToken(1879));
        Assert.Null(Tok.TokenToId("no such token here"));
        Assert.Equal(151669, Tok.VocabSize); // 151,643 BPE tokens + 26 added tokens up to id 151,668
        Assert.Contains("<|endoftext|>", Tok.SpecialTokens);
        Assert.DoesNotContain("<think>", Tok.SpecialTokens); // an added token, but not flagged special
        Assert.Equal(151645, Tok.EosTokenId);
        Assert.Equal(151643, Tok.PadTokenId);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.IdToToken(Tok.VocabSize));
    }

    [Fact]
    public void Offsets_lie_in_text_and_tile_ASCII_text()
    {
        foreach (var text in TokenizerCorpus.Generate())
        {
            var encoded = Tok.Encode(text);
            Assert.Equal(encoded.Ids.Length, encoded.CharStarts.Length);
            Assert.Equal(encoded.Ids.Length, encoded.CharLengths.Length);
            for (var i = 0; i < encoded.Ids.Length; i++)
            {
                Assert.InRange(encoded.CharStarts[i], 0, text.Length);
                Assert.InRange(encoded.CharStarts[i] + encoded.CharLengths[i], encoded.CharStarts[i], text.Length);
            }
            if (text.All(char.IsAscii))
            {
                var rebuilt = string.Concat(encoded.CharStarts.Select((s, i) => text.Substring(s, encoded.CharLengths[i])));
                Assert.Equal(text, rebuilt);
            }
        }
    }

    [Fact]
    public void Offsets_of_multibyte_and_decomposed_text_point_at_their_characters()
    {
        // "é" written as e + U+0301 is normalized to one char before BPE; its token must still
        // span both original chars. The emoji's byte tokens share the emoji's two UTF-16 chars.
        const string text = "cafe\u0301 😀!";
        var encoded = Tok.Encode(text);
        var covered = encoded.CharStarts.Select((s, i) => text.Substring(s, encoded.CharLengths[i])).Distinct().ToList();
        Assert.Contains(covered, c => c.EndsWith("e\u0301", StringComparison.Ordinal));
        Assert.Contains(covered, c => c.Contains("😀", StringComparison.Ordinal));
        Assert.Equal("!", covered[^1]);
    }

    [Fact]
    public void Decode_round_trips_the_corpus()
    {
        foreach (var text in TokenizerCorpus.Generate())
        {
            // The normalizer is NFC, so decoding gives the NFC form of the input.
            Assert.Equal(text.Normalize(), Tok.Decode(Tok.Encode(text).Ids));
        }
    }

    [Fact]
    public void Special_tokens_are_text_when_not_parsed()
    {
        const string text = "<|im_start|>user\nhi<|im_end|>";
        var parsed = Tok.Encode(text);
        var literal = Tok.Encode(text, parseSpecialTokens: false);
        Assert.Equal(151644, parsed.Ids[0]);
        Assert.Equal(151645, parsed.Ids[^1]);
        Assert.DoesNotContain(literal.Ids, id => id >= 151643);
        Assert.Equal(text, Tok.Decode(literal.Ids));
    }
}
