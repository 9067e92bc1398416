using System.Text;
using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

public sealed class ByteLevelTokenizerJsonTests
{
    private static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    [Fact]
    public void Loads_in_ours_and_HF_Rust_with_identical_ids()
    {
        using var dir = new TempFolder();
        var json = dir.Write("tokenizer.json", ByteLevelTokenizerJson.Create(Specials));
        dir.Write("tokenizer_config.json", ByteLevelTokenizerJson.CreateConfig("<|im_end|>", "<|endoftext|>"));
        var ours = HfTokenizer.LoadFolder(dir.Path);
        using var reference = new Tokenizers.DotNet.Tokenizer(json);

        foreach (var text in TokenizerCorpus.Generate(300))
            Assert.Equal(reference.EncodeIds(text), ours.Encode(text).Ids);
    }

    [Fact]
    public void Every_byte_is_one_token_and_specials_follow_255()
    {
        using var dir = new TempFolder();
        dir.Write("tokenizer.json", ByteLevelTokenizerJson.Create(Specials));
        dir.Write("tokenizer_config.json", ByteLevelTokenizerJson.CreateConfig("<|im_end|>", "<|endoftext|>"));
        var tok = HfTokenizer.LoadFolder(dir.Path);

        Assert.Equal(259, tok.VocabSize);
        Assert.Equal(Specials, tok.SpecialTokens);
        Assert.Equal(258, tok.EosTokenId);
        Assert.Equal(256, tok.PadTokenId);
        const string text = "héllo 世界 😀\n";
        var bytes = Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();
        Assert.Equal(bytes, tok.Encode(text).Ids);
        Assert.Equal([257, .. bytes, 258], tok.Encode("<|im_start|>" + text + "<|im_end|>").Ids);
        Assert.Equal(text, tok.Decode(bytes));
        Assert.Equal("Ġ", tok.IdToToken(32));
    }

    [Fact]
    public void Rejects_repeated_or_empty_special_tokens()
    {
        Assert.Throws<ArgumentException>(() => ByteLevelTokenizerJson.Create(["<a>", "<a>"]));
        Assert.Throws<ArgumentException>(() => ByteLevelTokenizerJson.Create([""]));
        Assert.Throws<ArgumentException>(() => ByteLevelTokenizerJson.CreateConfig("", "<pad>"));
    }
}
