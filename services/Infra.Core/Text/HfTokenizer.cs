using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Infra.Core.Text;

/// <summary>
/// A HuggingFace byte-level BPE tokenizer (Qwen2 / Qwen2.5 / Qwen3 style <c>tokenizer.json</c>), giving the ids HF's own
/// Rust tokenizer gives.
/// </summary>
/// <remarks>
/// Encoding follows HF's order: added tokens are cut out of the raw text first (those flagged <c>normalized</c> out of
/// the normalized text), so an added token followed by a combining mark is still that token; then each stretch between
/// them is normalized as HF normalizes (<see cref="NormalizedText"/>: NFC for Qwen, with HF's older Unicode tables),
/// split by the file's regex one code point at a time (<see cref="CodePointRegexPreTokenizer"/>: .NET regexes see
/// surrogate halves where HF's sees letters and digits), and merged by <see cref="ByteLevelBpe"/>, which is linear-
/// logarithmic in a piece's length. Every step is linear or n log n in the text, never quadratic. Added tokens'
/// <c>lstrip</c>/<c>rstrip</c>/<c>single_word</c> flags are not applied (all false in Qwen's files). Thread-safe.
/// </remarks>
public sealed class HfTokenizer
{
    private readonly ByteLevelBpe _bpe;
    private readonly CodePointRegexPreTokenizer _splitter;
    private readonly Regex? _rawAdded;
    private readonly Regex? _normalizedAdded;
    private readonly Dictionary<string, int> _addedIdByContent;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string[] _idToToken;
    private readonly HashSet<int> _addedIds;
    private readonly NormalizationForm? _normalization;

    private HfTokenizer(HfTokenizerFile file, TokenizerConfigTokens config, string source)
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

        // HF matches every added token (special or not) whole before BPE.
        _addedIdByContent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in file.AddedTokens)
            _addedIdByContent.TryAdd(token.Content, token.Id);
        _rawAdded = CodePointRegexPreTokenizer.AddedTokenPattern(file.AddedTokens.Where(t => !t.Normalized).Select(t => t.Content));
        _normalizedAdded = CodePointRegexPreTokenizer.AddedTokenPattern(file.AddedTokens.Where(t => t.Normalized).Select(t => t.Content));
        _splitter = new CodePointRegexPreTokenizer(new Regex(file.SplitPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), null);
        _bpe = new ByteLevelBpe(file.Vocab, file.Merges, source);
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
        return new HfTokenizer(file, config, tokenizerJsonPath);
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
        var result = new EncodedTextBuilder(text.Length / 3 + 1);
        EachAddedToken(text, 0, text.Length, parseSpecialTokens ? _rawAdded : null, result,
            (start, length) => EncodeRaw(text, start, length, parseSpecialTokens, result));
        return result.Build();
    }

    // Splits text[start, start + length) on the added tokens of `pattern`, adding each token and handing each stretch
    // between them to `stretch`.
    private void EachAddedToken(string text, int start, int length, Regex? pattern, EncodedTextBuilder result, Action<int, int> stretch)
    {
        var position = start;
        if (pattern is not null)
        {
            for (var match = pattern.Match(text, start, length); match.Success; match = match.NextMatch())
            {
                if (match.Index > position) stretch(position, match.Index - position);
                result.Add(_addedIdByContent[match.Value], match.Value, match.Index, match.Length);
                position = match.Index + match.Length;
            }
        }
        if (start + length > position) stretch(position, start + length - position);
    }

    // A stretch of the raw text without raw-matched added tokens: normalized, then split on the normalized added tokens.
    private void EncodeRaw(string text, int start, int length, bool parseSpecialTokens, EncodedTextBuilder result)
    {
        var normalized = NormalizedText.Create(text.Substring(start, length), _normalization);
        var mapped = new EncodedTextBuilder(0);
        EachAddedToken(normalized.Text, 0, normalized.Text.Length, parseSpecialTokens ? _normalizedAdded : null, mapped,
            (from, count) => EncodePieces(normalized.Text, from, count, mapped));
        for (var i = 0; i < mapped.Count; i++)
        {
            var (sourceStart, sourceLength) = normalized.ToSource(mapped.CharStarts[i], mapped.CharLengths[i]);
            result.Add(mapped.Ids[i], mapped.Tokens[i], start + sourceStart, sourceLength);
        }
    }

    // Pre-tokenizes and merges a normalized stretch; offsets are into `text`. A token inside one multi-byte character
    // spans that character, as the byte-level tokens of one CJK character or emoji share it.
    private void EncodePieces(string text, int start, int length, EncodedTextBuilder result)
    {
        var stretch = text.Substring(start, length);
        foreach (var (offset, count) in _splitter.PreTokenize(stretch))
        {
            var piece = stretch.AsSpan(offset, count);
            var ids = _bpe.Encode(piece);
            var charOfByte = CharOfByte(piece);
            var b = 0;
            foreach (var id in ids)
            {
                var token = _idToToken[id];
                var first = charOfByte[b];
                var last = charOfByte[b + token.Length - 1];
                var end = last + (char.IsHighSurrogate(piece[last]) && last + 1 < piece.Length ? 2 : 1);
                result.Add(id, token, start + offset + first, end - first);
                b += token.Length;
            }
        }
    }

    // The char index (into the piece) of each of its UTF-8 bytes; a lone surrogate is encoded as U+FFFD (3 bytes).
    private static int[] CharOfByte(ReadOnlySpan<char> piece)
    {
        var map = new List<int>(piece.Length * 3);
        for (var i = 0; i < piece.Length;)
        {
            var pair = i + 1 < piece.Length && char.IsSurrogatePair(piece[i], piece[i + 1]);
            var bytes = pair ? 4 : piece[i] < 0x80 ? 1 : piece[i] < 0x800 ? 2 : 3;
            for (var k = 0; k < bytes; k++) map.Add(i);
            i += pair ? 2 : 1;
        }
        return [.. map];
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
