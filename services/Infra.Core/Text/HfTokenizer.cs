using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Infra.Core.Text;

/// <summary>
/// A HuggingFace byte-level BPE tokenizer (Qwen2 / Qwen2.5 / Qwen3 style <c>tokenizer.json</c>)
/// run by Microsoft.ML.Tokenizers, giving the ids HF's own Rust tokenizer gives.
/// </summary>
/// <remarks>
/// BPE merging is ML.Tokenizers' <see cref="BpeTokenizer"/> (byte-level, vocab and merges from the
/// file). Normalization (NFC for Qwen) and pre-tokenization are done here: the split regex comes
/// from the file but runs per code point (<see cref="CodePointRegexPreTokenizer"/>), because
/// ML.Tokenizers' <see cref="RegexPreTokenizer"/> sees surrogate halves and split characters outside
/// the BMP differently from HF. Added tokens' <c>lstrip</c>/<c>rstrip</c>/<c>single_word</c> flags are
/// not applied (all false in Qwen's files).
/// </remarks>
public sealed class HfTokenizer
{
    private readonly BpeTokenizer _withSpecials;
    private readonly Lazy<BpeTokenizer> _withoutSpecials;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string[] _idToToken;
    private readonly HashSet<int> _addedIds;
    private readonly NormalizationForm? _normalization;

    private HfTokenizer(HfTokenizerFile file, TokenizerConfigTokens config)
    {
        _normalization = file.Normalization;
        _tokenToId = new Dictionary<string, int>(file.Vocab, StringComparer.Ordinal);
        foreach (var token in file.AddedTokens)
            _tokenToId[token.Content] = token.Id;
        VocabSize = _tokenToId.Values.Max() + 1;
        _idToToken = new string[VocabSize];
        foreach (var (token, id) in _tokenToId)
            _idToToken[id] = token;
        _addedIds = file.AddedTokens.Select(t => t.Id).ToHashSet();
        SpecialTokens = file.AddedTokens.Where(t => t.Special).OrderBy(t => t.Id).Select(t => t.Content).ToArray();
        EosTokenId = Resolve(config.Eos, "eos_token", config.Source);
        PadTokenId = Resolve(config.Pad, "pad_token", config.Source);

        // HF matches every added token (special or not) whole before BPE, so all of them are cut
        // out by the pre-tokenizer and known to the BPE model as "special tokens".
        var added = file.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        var split = new Regex(file.SplitPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        _withSpecials = Create(file, split, added);
        _withoutSpecials = new Lazy<BpeTokenizer>(() => Create(file, split, null));
    }

    /// <summary>Number of ids: the largest id in the vocabulary or the added tokens, plus one.</summary>
    public int VocabSize { get; }

    /// <summary>Added tokens flagged <c>special</c> in tokenizer.json, in id order.</summary>
    public IReadOnlyList<string> SpecialTokens { get; }

    /// <summary>Id of tokenizer_config.json's <c>eos_token</c>; null without a config or that key.</summary>
    public int? EosTokenId { get; }

    /// <summary>Id of tokenizer_config.json's <c>pad_token</c>; null without a config or that key.</summary>
    public int? PadTokenId { get; }

    /// <summary>Loads <c>tokenizer.json</c> and, if given, <c>tokenizer_config.json</c> (for EOS and PAD).</summary>
    /// <exception cref="TokenizerException">A missing file, invalid JSON, a model that is not BPE, missing vocab or merges.</exception>
    public static HfTokenizer Load(string tokenizerJsonPath, string? tokenizerConfigPath = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJsonPath);
        var file = HfTokenizerFile.Load(tokenizerJsonPath);
        var config = tokenizerConfigPath is null ? new TokenizerConfigTokens(null, null, null) : ReadConfig(tokenizerConfigPath);
        return new HfTokenizer(file, config);
    }

    /// <summary>Loads <c>folder/tokenizer.json</c> and, when present, <c>folder/tokenizer_config.json</c>.</summary>
    /// <exception cref="TokenizerException">As <see cref="Load"/>.</exception>
    public static HfTokenizer LoadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var config = Path.Combine(folder, "tokenizer_config.json");
        return Load(Path.Combine(folder, "tokenizer.json"), File.Exists(config) ? config : null);
    }

    /// <summary>
    /// Encodes text. With <paramref name="parseSpecialTokens"/> (the default, as HF) added tokens
    /// such as <c>&lt;|im_end|&gt;</c> written in the text become their ids; without it they are
    /// encoded as ordinary text.
    /// </summary>
    public EncodedText Encode(string text, bool parseSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = NormalizedText.Create(text, _normalization);
        var bpe = parseSpecialTokens ? _withSpecials : _withoutSpecials.Value;
        var tokens = bpe.EncodeToTokens(normalized.Text, out _, considerPreTokenization: true, considerNormalization: false);
        var result = new EncodedText(new int[tokens.Count], new string[tokens.Count], new int[tokens.Count], new int[tokens.Count]);
        for (var i = 0; i < tokens.Count; i++)
        {
            var (offset, length) = tokens[i].Offset.GetOffsetAndLength(normalized.Text.Length);
            (result.CharStarts[i], result.CharLengths[i]) = normalized.ToSource(offset, length);
            result.Ids[i] = tokens[i].Id;
            result.Tokens[i] = tokens[i].Value;
        }
        return result;
    }

    /// <summary>
    /// Decodes ids to text as HF's <c>decode(ids)</c> does by default: added tokens (special ones
    /// included) are written out, and byte sequences that are not valid UTF-8 become U+FFFD.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            var token = IdToToken(id);
            if (_addedIds.Contains(id))
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
            else
                ByteLevelAlphabet.AppendBytes(token, bytes);
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>Id of a vocabulary or added token (as stored, e.g. "Ġthe"); null if unknown.</summary>
    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out var id) ? id : null;

    /// <summary>The token string stored for an id (byte-level form, e.g. "Ġthe").</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside the vocabulary or a gap in it.</exception>
    public string IdToToken(int id) =>
        (uint)id < (uint)_idToToken.Length && _idToToken[id] is { } token
            ? token
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"no token has id {id} (vocab size {VocabSize})");

    private static BpeTokenizer Create(HfTokenizerFile file, Regex split, Dictionary<string, int>? added) =>
        BpeTokenizer.Create(new BpeOptions(file.Vocab)
        {
            Merges = file.Merges,
            ByteLevel = true,
            SpecialTokens = added,
            PreTokenizer = new CodePointRegexPreTokenizer(split, added?.Keys),
        });

    private static TokenizerConfigTokens ReadConfig(string path)
    {
        if (!File.Exists(path))
            throw new TokenizerException($"tokenizer_config.json not found: {path}");
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new TokenizerException($"{path}: expected a JSON object");
            return new TokenizerConfigTokens(TokenText(root["eos_token"]), TokenText(root["pad_token"]), path);
        }
        catch (JsonException ex)
        {
            throw new TokenizerException($"{path}: not valid JSON ({ex.Message})", ex);
        }
    }

    // Configs write a token either as a string or as {"content": "...", ...}.
    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => (string?)o["content"],
        _ => null,
    };

    private int? Resolve(string? token, string key, string? source) =>
        token is null
            ? null
            : TokenToId(token) ?? throw new TokenizerException($"{source}: {key} '{token}' is not in the vocabulary");
}
