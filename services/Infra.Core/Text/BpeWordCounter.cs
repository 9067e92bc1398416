using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Infra.Core.Text;

/// <summary>
/// The first step of BPE training, as HF's trainer does it: NFC-normalize each text, cut out the
/// special tokens, split the rest with Qwen2's regex (per code point, as <see cref="HfTokenizer"/>
/// encodes), and count how often each piece occurs. Pieces are what BPE never merges across.
/// </summary>
internal sealed class BpeWordCounter
{
    private readonly CodePointRegexPreTokenizer _preTokenizer;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _specialTokens;
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public BpeWordCounter(IReadOnlyList<string> specialTokens)
    {
        var split = new Regex(HfTokenizerFile.Qwen2Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        _preTokenizer = new CodePointRegexPreTokenizer(split, specialTokens);
        _specialTokens = new HashSet<string>(specialTokens, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Counts the pieces of one text.</summary>
    public void Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.IsNormalized(NormalizationForm.FormC))
            text = text.Normalize(NormalizationForm.FormC);
        foreach (var (offset, length) in _preTokenizer.PreTokenize(text))
        {
            var piece = text.AsSpan(offset, length);
            // A piece equal to a special token is always that token when encoding, so never learned from.
            if (_specialTokens.Contains(piece))
                continue;
            CollectionsMarshal.GetValueRefOrAddDefault(_lookup, piece, out _)++;
        }
    }

    /// <summary>Each distinct piece as its UTF-8 bytes (byte ids), with its count, in ordinal order of the text.</summary>
    public List<BpeWord> ToWords()
    {
        var words = new List<BpeWord>(_counts.Count);
        foreach (var (piece, count) in _counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(piece);
            words.Add(new BpeWord(Array.ConvertAll(bytes, b => (int)b), count));
        }
        return words;
    }
}
