using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Core.Text;

/// <summary>
/// Writes the smallest real HF tokenizer: byte-level BPE with only the 256 byte tokens (ids 0–255,
/// in GPT-2's byte-to-unicode alphabet) and no merges, plus added special tokens (ids 256 on), with
/// Qwen2's NFC normalizer and split regex. Every text encodes to one id per UTF-8 byte. HF's
/// tokenizers and <see cref="HfTokenizer"/> both load it; merges can be trained into it later.
/// </summary>
public static class ByteLevelTokenizerJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>tokenizer.json text; <paramref name="specialTokens"/> get ids 256, 257, ... in order.</summary>
    /// <exception cref="ArgumentException">An empty or repeated special token.</exception>
    public static string Create(IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        if (specialTokens.Any(string.IsNullOrEmpty))
            throw new ArgumentException("special tokens must be non-empty", nameof(specialTokens));
        if (specialTokens.Distinct(StringComparer.Ordinal).Count() != specialTokens.Count)
            throw new ArgumentException("special tokens must be distinct", nameof(specialTokens));

        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
            vocab[ByteLevelAlphabet.ByteToChar[b].ToString()] = b;
        var added = new JsonArray();
        for (var i = 0; i < specialTokens.Count; i++)
        {
            added.Add(new JsonObject
            {
                ["id"] = 256 + i,
                ["content"] = specialTokens[i],
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            });
        }
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = HfTokenizerFile.Qwen2Pattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    ByteLevelStep()),
            },
            ["post_processor"] = ByteLevelStep(),
            ["decoder"] = ByteLevelStep(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(),
            },
        };
        return root.ToJsonString(Indented);
    }

    /// <summary>tokenizer_config.json text naming the EOS and PAD tokens (as Qwen2's config does; no BOS).</summary>
    public static string CreateConfig(string eosToken, string padToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eosToken);
        ArgumentException.ThrowIfNullOrEmpty(padToken);
        var root = new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["bos_token"] = null,
            ["eos_token"] = eosToken,
            ["pad_token"] = padToken,
            ["unk_token"] = null,
            ["clean_up_tokenization_spaces"] = false,
            ["errors"] = "replace",
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "Qwen2Tokenizer",
        };
        return root.ToJsonString(Indented);
    }

    private static JsonObject ByteLevelStep() => new()
    {
        ["type"] = "ByteLevel",
        ["add_prefix_space"] = false,
        ["trim_offsets"] = false,
        ["use_regex"] = false,
    };
}
