using System.Text;
using Xunit.Abstractions;

namespace Infra.Core.Tests.Text;

/// <summary>
/// Where <see cref="Infra.Core.Text.HfTokenizer"/> used to depart from HF's Rust tokenizer (issue 15): added tokens
/// next to combining marks, newer Unicode characters, noncharacters, and very long unbroken runs. Every case is compared
/// with the reference on the real Qwen tokenizer.
/// </summary>
public sealed class HfTokenizerNormalizationTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_code_point_whose_NFC_is_not_the_identity_normalizes_as_HF_does()
    {
        // Alone, after a class-240 mark, before a class-220 mark, between a letter and U+0301, and decomposed: the
        // contexts where composition, decomposition or reordering can act on it.
        var differing = new List<string>();
        var compared = 0;
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF) continue;
            var c = char.ConvertFromUtf32(cp);
            string[] probes = [c, "\u0345" + c, c + "\u0316", "a" + c + "\u0301", cp == 0xFFFE ? c : c.Normalize(NormalizationForm.FormD)];
            if (cp != 0xFFFE && probes.All(p => p.Normalize(NormalizationForm.FormC) == p)) continue;
            foreach (var probe in probes)
            {
                compared++;
                if (!QwenTokenizers.Ours.Encode(probe).Ids.SequenceEqual(QwenTokenizers.Reference.EncodeIds(probe)))
                    differing.Add($"U+{cp:X4} in \"{TokenizerCorpus.Escape(probe)}\"");
            }
        }
        output.WriteLine($"{compared} probes compared");
        Assert.True(compared > 50_000, $"only {compared} probes");
        Assert.True(differing.Count == 0, $"{differing.Count} probes differ from HF: {string.Join(", ", differing.Take(20))}");
    }

    [Fact]
    public void Added_tokens_are_cut_out_before_normalization()
    {
        foreach (var token in QwenTokenizers.Ours.SpecialTokens.Concat(["<think>", "</think>"]))
        {
            var id = QwenTokenizers.Ours.TokenToId(token);
            foreach (var text in new[] { token + "\u0338", token + "\u0301x", "a" + token + "\u20D2" })
            {
                var ours = QwenTokenizers.Ours.Encode(text);
                Assert.Equal(QwenTokenizers.Reference.EncodeIds(text), ours.Ids);
                Assert.Contains(id!.Value, ours.Ids);
            }
        }
    }

    [Fact]
    public void Noncharacters_are_tokenized_not_thrown_on()
    {
        foreach (var text in new[] { "\uFFFE", "a\uFFFE\u0301b", "\uFFFF", "\uFDD0x", "\U0001FFFE", "\U0010FFFF" })
        {
            var ours = QwenTokenizers.Ours.Encode(text);
            Assert.Equal(QwenTokenizers.Reference.EncodeIds(text), ours.Ids);
            Assert.Equal(text, QwenTokenizers.Ours.Decode(ours.Ids));
        }
    }

    [Theory]
    [InlineData("cjk")]
    [InlineData("letters")]
    [InlineData("minified")]
    [InlineData("digits")]
    public void Fifty_thousand_characters_without_a_break_give_HF_ids(string kind)
    {
        var text = kind switch
        {
            "cjk" => string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)(0x4E00 + i * 7919 % 20_000))),
            "letters" => string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)('a' + i * 31 % 26))),
            "minified" => string.Concat(Enumerable.Repeat("var a=b&&c||d?e(f,g):h[i]+j;", 1_800)),
            _ => string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)('0' + i * 7 % 10))),
        };
        var ours = QwenTokenizers.Ours.Encode(text);
        Assert.Equal(QwenTokenizers.Reference.EncodeIds(text), ours.Ids);
        // Offsets cover the text in order, so token scores map back to characters.
        Assert.Equal(0, ours.CharStarts[0]);
        Assert.Equal(text.Length, ours.CharStarts[^1] + ours.CharLengths[^1]);
    }

    [Fact]
    public void Ids_equal_HF_on_a_seeded_adversarial_corpus()
    {
        var added = QwenTokenizers.Ours.SpecialTokens.Concat(["<think>", "</think>"]).ToList();
        var corpus = AdversarialTokenizerCorpus.Generate(added);
        Assert.True(corpus.Count >= 3000);
        var mismatches = new List<string>();
        foreach (var text in corpus)
        {
            var ours = QwenTokenizers.Ours.Encode(text).Ids;
            var reference = QwenTokenizers.Reference.EncodeIds(text);
            if (!ours.SequenceEqual(reference))
                mismatches.Add($"\"{TokenizerCorpus.Escape(text)}\"\n  ours: [{string.Join(", ", ours)}]\n  HF:   [{string.Join(", ", reference)}]");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {corpus.Count} strings differ:\n{string.Join("\n", mismatches.Take(10))}");
    }
}
