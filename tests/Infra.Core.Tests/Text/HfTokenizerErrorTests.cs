using System.Text.Json.Nodes;
using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>Unusable tokenizer files fail with a <see cref="TokenizerException"/> naming the file and the reason.</summary>
public sealed class HfTokenizerErrorTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_file()
    {
        var path = Path.Combine(_dir.Path, "tokenizer.json");
        var ex = Assert.Throws<TokenizerException>(() => HfTokenizer.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TokenizerException>(() => HfTokenizer.LoadFolder(_dir.Path));
    }

    [Fact]
    public void Invalid_json()
    {
        var path = _dir.Write("tokenizer.json", "{ \"model\": { ");
        var ex = Assert.Throws<TokenizerException>(() => HfTokenizer.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_config_json()
    {
        var json = _dir.Write("tokenizer.json", ByteLevelTokenizerJson.Create(["<eos>"]));
        var config = _dir.Write("tokenizer_config.json", "not json");
        var ex = Assert.Throws<TokenizerException>(() => HfTokenizer.Load(json, config));
        Assert.Contains("tokenizer_config.json: not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_token_missing_from_vocabulary()
    {
        var json = _dir.Write("tokenizer.json", ByteLevelTokenizerJson.Create(["<eos>"]));
        var config = _dir.Write("tokenizer_config.json", ByteLevelTokenizerJson.CreateConfig("<other>", "<eos>"));
        var ex = Assert.Throws<TokenizerException>(() => HfTokenizer.Load(json, config));
        Assert.Contains("eos_token '<other>'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WordPiece", "model type 'WordPiece' is not supported")]
    [InlineData(null, "'model.vocab' is missing")]
    public void Model_that_is_not_byte_level_BPE(string? type, string expected)
    {
        var root = SmallTokenizer();
        if (type is null)
            ((JsonObject)root["model"]!).Remove("vocab");
        else
            root["model"]!["type"] = type;
        var path = _dir.Write("tokenizer.json", root.ToJsonString());
        var ex = Assert.Throws<TokenizerException>(() => HfTokenizer.Load(path));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_merges()
    {
        var root = SmallTokenizer();
        ((JsonObject)root["model"]!).Remove("merges");
        var path = _dir.Write("tokenizer.json", root.ToJsonString());
        var ex = Assert.Throws<TokenizerException>(() => HfTokenizer.Load(path));
        Assert.Contains("'model.merges' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merges_as_strings_and_as_pairs_give_the_same_ids_as_HF()
    {
        foreach (var merges in new[] { new JsonArray("h e", "he l"), new JsonArray(new JsonArray("h", "e"), new JsonArray("he", "l")) })
        {
            var root = SmallTokenizer();
            var vocab = (JsonObject)root["model"]!["vocab"]!;
            vocab["he"] = 300;
            vocab["hel"] = 301;
            root["model"]!["merges"] = merges;
            var path = _dir.Write("tokenizer.json", root.ToJsonString());
            using var reference = new Tokenizers.DotNet.Tokenizer(path);
            var ours = HfTokenizer.Load(path);
            Assert.Equal(reference.EncodeIds("hello he"), ours.Encode("hello he").Ids);
            Assert.Equal([301, 108, 111], ours.Encode("hello").Ids); // "hel", "l", "o"
        }
    }

    private static JsonNode SmallTokenizer() => JsonNode.Parse(ByteLevelTokenizerJson.Create(["<|endoftext|>"]))!;
}
