using System.Globalization;
using System.Text;

namespace Infra.Core.Text;

/// <summary>
/// Text after Unicode normalization, with a map from each normalized char back to a span of the
/// original, so token offsets can be reported against what the caller passed in.
/// </summary>
internal sealed class NormalizedText
{
    private readonly int[]? _sourceStart;
    private readonly int[]? _sourceEnd;

    private NormalizedText(string text, int[]? sourceStart, int[]? sourceEnd)
    {
        Text = text;
        _sourceStart = sourceStart;
        _sourceEnd = sourceEnd;
    }

    /// <summary>The normalized text.</summary>
    public string Text { get; }

    public static NormalizedText Create(string text, NormalizationForm? form)
    {
        // Nearly all text is already NFC: then offsets are the identity and nothing is copied.
        if (form is not { } f || text.IsNormalized(f))
            return new NormalizedText(text, null, null);

        // Normalize one grapheme cluster at a time: composition and reordering happen among a
        // base character and its marks, which one cluster holds, so each output char maps back
        // to the cluster it came from.
        var builder = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var start = enumerator.ElementIndex;
            var element = (string)enumerator.Current;
            var normalized = element.Normalize(f);
            builder.Append(normalized);
            for (var i = 0; i < normalized.Length; i++)
            {
                starts.Add(start);
                ends.Add(start + element.Length);
            }
        }
        var whole = text.Normalize(f);
        if (builder.ToString() != whole)
        {
            // A composition across clusters (not seen in practice): keep the exact normalized
            // text and report every token as spanning the whole input rather than a wrong span.
            return new NormalizedText(whole, new int[whole.Length], Enumerable.Repeat(text.Length, whole.Length).ToArray());
        }
        return new NormalizedText(whole, [.. starts], [.. ends]);
    }

    /// <summary>Maps a span of <see cref="Text"/> to the span of the original text it came from.</summary>
    public (int Start, int Length) ToSource(int start, int length)
    {
        if (_sourceStart is null || _sourceEnd is null)
            return (start, length);
        if (length == 0)
            return start < _sourceStart.Length ? (_sourceStart[start], 0) : (_sourceEnd[^1], 0);
        var sourceStart = _sourceStart[start];
        return (sourceStart, _sourceEnd[start + length - 1] - sourceStart);
    }
}
