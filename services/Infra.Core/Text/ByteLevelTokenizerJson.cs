using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Core.Text;

/// <summary>
/// Writes HF byte-level BPE <c>tokenizer.json</c> files with Qwen2's NFC normalizer and split regex.
/// <see cref="Create"/> writes the smallest one: only the 256 byte tokens (ids 0–255, in GPT-2's
/// byte-to-unicode alphabet) and no merges, so every text encodes to one id per UTF-8 byte;
/// <see cref="BpeTrainer"/> writes the same layout with learned tokens and merges. Added special
/// tokens always follow the vocabulary (ids 256 on here), as Qwen's follow its 151,643 tokens.
/// HF's tokenizers and <see cref="HfTokenizer"/> both load these files.
/// </summary>
public static class ByteLevelTokenizerJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>tokenizer.json text; <paramref name="specialTokens"/> get ids 256, 257, ... in order.</summary>
    /// <exception cref="ArgumentException">An empty or repeated special token.</exception>
    public static string Create(IReadOnlyList<string> specialTokens)
    {
        CheckSpecialTokens(specialTokens);
        return Write([.. ByteLevelAlphabet.ByteToChar.Select(c => c.ToString())], [], specialTokens);
    }

    /// <summary>Throws unless every special token is non-empty and distinct.</summary>
    /// <exception cref="ArgumentException">An empty or repeated special token.</exception>
    internal static void CheckSpecialTokens(IReadOnlyList<string> specialTokens, string paramName = "specialTokens")
    {
        ArgumentNullException.ThrowIfNull(specialTokens, paramName);
        if (specialTokens.Any(string.IsNullOrEmpty))
            throw new ArgumentException("special tokens must be non-empty", paramName);
        if (specialTokens.Distinct(StringComparer.Ordinal).Count() != specialTokens.Count)
            throw new ArgumentException("special tokens must be distinct", paramName);
    }

    /// <summary>
    /// tokenizer.json text for a byte-level BPE model: <paramref name="vocab"/>[i] has id i (the 256
    /// byte tokens first), merges are written in priority order as "left right" (the form every
    /// tokenizers version reads; byte-level tokens never contain a space), and special token i has
    /// id <c>vocab.Count + i</c>.
    /// </summary>
    internal static string Write(IReadOnlyList<string> vocab, IReadOnlyList<BpeMerge> merges, IReadOnlyList<string> specialTokens)
    {
        var vocabJson = new JsonObject();
        for (var id = 0; id < vocab.Count; id++)
            vocabJson[vocab[id]] = id;
        var mergesJson = new JsonArray();
        foreach (var merge in merges)
            mergesJson.Add($"{merge.Left} {merge.Right}");
        var added = new JsonArray();
        for (var i = 0; i < specialTokens.Count; i++)
        {
            added.Add(new JsonObject
            {
                ["id"] = vocab.Count + i,
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
                ["vocab"] = vocabJson,
                ["merges"] = mergesJson,
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
