using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Infra.Core.Text;

/// <summary>
/// Splits text as HF's <c>Split</c> pre-tokenizer does: added tokens are cut out whole first, then
/// the split regex runs over the rest, one Unicode code point at a time.
/// </summary>
/// <remarks>
/// Why not Microsoft.ML.Tokenizers' <see cref="RegexPreTokenizer"/>: .NET regexes see UTF-16 code
/// units, so a character outside the BMP (𝟙, 𝐀, 😀, 𠀀) is two surrogates that match neither
/// <c>\p{L}</c> nor <c>\p{N}</c>, while HF's Rust regex sees one letter or digit. With Qwen's
/// tokenizer that changed " 𝟙𝟚𝟛" (HF: " ", "𝟙", "𝟚", "𝟛") into different pieces and ids. Here the
/// regex runs over a shadow of the text in which each such character is replaced by one BMP
/// character of the same Unicode category, and the pieces are mapped back to the real text.
/// </remarks>
internal sealed class CodePointRegexPreTokenizer : PreTokenizer
{
    private static readonly Dictionary<UnicodeCategory, char> Representatives = FindRepresentatives();

    private readonly Regex _split;
    private readonly Regex? _added;

    /// <param name="split">The split regex from tokenizer.json.</param>
    /// <param name="addedTokens">Texts matched whole before splitting; null or empty for none.</param>
    public CodePointRegexPreTokenizer(Regex split, IEnumerable<string>? addedTokens)
    {
        _split = split;
        _added = AddedTokenPattern(addedTokens);
    }

    /// <summary>
    /// A regex matching any of <paramref name="addedTokens"/> whole, leftmost first and, among tokens sharing a prefix,
    /// the longest (as HF's leftmost-longest matcher does); null for none.
    /// </summary>
    public static Regex? AddedTokenPattern(IEnumerable<string>? addedTokens)
    {
        // Longest first: .NET tries alternatives in order, so at one position the longest token wins.
        var tokens = (addedTokens ?? []).Distinct(StringComparer.Ordinal).OrderByDescending(t => t.Length).Select(Regex.Escape).ToList();
        return tokens.Count == 0 ? null : new Regex(string.Join("|", tokens), RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
        Split(text.ToString());

    private List<(int Offset, int Length)> Split(string text)
    {
        var pieces = new List<(int Offset, int Length)>();
        var position = 0;
        if (_added is not null)
        {
            for (var match = _added.Match(text); match.Success; match = match.NextMatch())
            {
                SplitSegment(text, position, match.Index - position, pieces);
                pieces.Add((match.Index, match.Length));
                position = match.Index + match.Length;
            }
        }
        SplitSegment(text, position, text.Length - position, pieces);
        return pieces;
    }

    private void SplitSegment(string text, int start, int length, List<(int Offset, int Length)> pieces)
    {
        if (length == 0) return;
        var segment = text.Substring(start, length);
        var (shadow, shadowToText) = Shadow(segment);
        for (var match = _split.Match(shadow); match.Success; match = match.NextMatch())
        {
            if (match.Length == 0) continue;
            var from = shadowToText is null ? match.Index : shadowToText[match.Index];
            var to = shadowToText is null ? match.Index + match.Length : shadowToText[match.Index + match.Length];
            pieces.Add((start + from, to - from));
        }
    }

    // Returns the segment with each surrogate pair replaced by one BMP character of the same
    // category, and a map from shadow index (0..Length inclusive) to segment index; the map is
    // null when the segment has no surrogate pair (the common case) and the shadow is the text.
    private static (string Shadow, int[]? ShadowToText) Shadow(string segment)
    {
        if (!segment.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
            return (segment, null);
        var shadow = new StringBuilder(segment.Length);
        var map = new List<int>(segment.Length + 1);
        for (var i = 0; i < segment.Length;)
        {
            map.Add(i);
            if (Rune.TryGetRuneAt(segment, i, out var rune) && !rune.IsBmp
                && Representatives.TryGetValue(Rune.GetUnicodeCategory(rune), out var stand))
            {
                shadow.Append(stand);
                i += 2;
            }
            else
            {
                shadow.Append(segment[i]);
                i++;
            }
        }
        map.Add(segment.Length);
        return (shadow.ToString(), [.. map]);
    }

    // One BMP character per Unicode category. Skips ASCII and Latin-1 (split regexes name ASCII
    // characters such as ' s t \r \n literally) and characters whose case mapping reaches ASCII
    // (the contraction part of the regex is case-insensitive).
    private static Dictionary<UnicodeCategory, char> FindRepresentatives()
    {
        var result = new Dictionary<UnicodeCategory, char>();
        for (var c = 0x100; c < 0xD800; c++)
        {
            var ch = (char)c;
            if (char.ToUpperInvariant(ch) < 0x100 || char.ToLowerInvariant(ch) < 0x100 || c is 0x130 or 0x131 or 0x17F)
                continue;
            result.TryAdd(char.GetUnicodeCategory(ch), ch);
        }
        for (var c = 0xE000; c <= 0xFFFD; c++)
            result.TryAdd(char.GetUnicodeCategory((char)c), (char)c);
        result.Remove(UnicodeCategory.Surrogate);
        return result;
    }
}
