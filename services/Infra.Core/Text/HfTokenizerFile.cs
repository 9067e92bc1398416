using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Core.Text;

/// <summary>
/// The parts of a HuggingFace byte-level BPE <c>tokenizer.json</c> that encoding needs, read and
/// checked. Errors name the file and what is wrong with it.
/// </summary>
internal sealed record HfTokenizerFile(
    Dictionary<string, int> Vocab,
    List<string> Merges,
    List<AddedToken> AddedTokens,
    string SplitPattern,
    NormalizationForm? Normalization)
{
    /// <summary>Qwen2's split regex: the fallback when the file has no Split pre-tokenizer.</summary>
    public const string Qwen2Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2's split regex: what a ByteLevel pre-tokenizer with <c>use_regex: true</c> applies.</summary>
    public const string Gpt2Pattern =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static HfTokenizerFile Load(string path)
    {
        if (!File.Exists(path))
            throw new TokenizerException($"tokenizer.json not found: {path}");
        JsonObject root;
        try
        {
            using var stream = File.OpenRead(path);
            root = JsonNode.Parse(stream) as JsonObject
                ?? throw new TokenizerException($"{path}: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new TokenizerException($"{path}: not valid JSON ({ex.Message})", ex);
        }
        return Parse(root, path);
    }

    private static HfTokenizerFile Parse(JsonObject root, string source)
    {
        var model = root["model"] as JsonObject
            ?? throw new TokenizerException($"{source}: 'model' is missing");
        var type = (string?)model["type"] ?? "BPE";
        if (type != "BPE")
            throw new TokenizerException($"{source}: model type '{type}' is not supported (only byte-level 'BPE')");
        var vocab = ReadVocab(model["vocab"] as JsonObject
            ?? throw new TokenizerException($"{source}: 'model.vocab' is missing"), source);
        var merges = ReadMerges(model["merges"] as JsonArray
            ?? throw new TokenizerException($"{source}: 'model.merges' is missing"), source);
        return new HfTokenizerFile(
            vocab, merges, ReadAddedTokens(root["added_tokens"] as JsonArray, source),
            FindSplitPattern(root["pre_tokenizer"]), ReadNormalizer(root["normalizer"], source));
    }

    private static Dictionary<string, int> ReadVocab(JsonObject vocab, string source)
    {
        var result = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        foreach (var (token, id) in vocab)
            result[token] = id is JsonValue v && v.TryGetValue<int>(out var i) && i >= 0
                ? i
                : throw new TokenizerException($"{source}: vocab entry '{token}' has no valid id");
        if (result.Count == 0)
            throw new TokenizerException($"{source}: 'model.vocab' is empty");
        return result;
    }

    // Older files write a merge as "a b"; newer ones (tokenizers >= 0.20) as ["a", "b"].
    // Kept in the "a b" form; byte-level tokens never contain a space.
    private static List<string> ReadMerges(JsonArray merges, string source)
    {
        var result = new List<string>(merges.Count);
        foreach (var merge in merges)
        {
            result.Add(merge switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) && s.Split(' ').Length == 2 => s,
                JsonArray { Count: 2 } pair when pair[0] is JsonValue a && pair[1] is JsonValue b
                    && a.TryGetValue<string>(out var left) && b.TryGetValue<string>(out var right)
                    && !left.Contains(' ', StringComparison.Ordinal) && !right.Contains(' ', StringComparison.Ordinal)
                    => $"{left} {right}",
                _ => throw new TokenizerException($"{source}: merge #{result.Count} is not \"a b\" or [a, b]: {merge?.ToJsonString()}"),
            });
        }
        return result;
    }

    private static List<AddedToken> ReadAddedTokens(JsonArray? added, string source)
    {
        var result = new List<AddedToken>();
        foreach (var node in added ?? [])
        {
            var id = (int?)node?["id"];
            var content = (string?)node?["content"];
            if (id is null || string.IsNullOrEmpty(content))
                throw new TokenizerException($"{source}: added token #{result.Count} needs 'id' and 'content'");
            var special = (bool?)node?["special"] ?? false;
            result.Add(new AddedToken(id.Value, content, special, (bool?)node?["normalized"] ?? !special));
        }
        return result;
    }

    // Qwen's files: Sequence[Split(regex), ByteLevel(use_regex=false)]. GPT-2's: ByteLevel(use_regex=true).
    private static string FindSplitPattern(JsonNode? preTokenizer)
    {
        IEnumerable<JsonNode?> steps = (string?)preTokenizer?["type"] == "Sequence"
            ? preTokenizer?["pretokenizers"] as JsonArray ?? []
            : [preTokenizer];
        foreach (var step in steps)
        {
            var stepType = (string?)step?["type"];
            if (stepType == "Split" && step?["pattern"] is JsonObject pattern)
            {
                if ((string?)pattern["Regex"] is { } regex) return regex;
                if ((string?)pattern["String"] is { } literal) return System.Text.RegularExpressions.Regex.Escape(literal);
            }
            if (stepType == "ByteLevel" && ((bool?)step?["use_regex"] ?? true))
                return Gpt2Pattern;
        }
        return Qwen2Pattern;
    }

    private static NormalizationForm? ReadNormalizer(JsonNode? normalizer, string source)
    {
        if (normalizer is null) return null;
        var type = (string?)normalizer["type"];
        if (type == "Sequence")
        {
            var forms = (normalizer["normalizers"] as JsonArray ?? []).Select(n => ReadNormalizer(n, source)).OfType<NormalizationForm>().ToList();
            return forms.Count switch
            {
                0 => null,
                1 => forms[0],
                _ => throw new TokenizerException($"{source}: more than one Unicode normalizer in a Sequence is not supported"),
            };
        }
        return type switch
        {
            "NFC" => NormalizationForm.FormC,
            "NFD" => NormalizationForm.FormD,
            "NFKC" => NormalizationForm.FormKC,
            "NFKD" => NormalizationForm.FormKD,
            _ => throw new TokenizerException($"{source}: normalizer '{type}' is not supported (NFC, NFD, NFKC, NFKD or none)"),
        };
    }
}
