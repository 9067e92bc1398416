using System.Globalization;
using System.Text;

namespace Infra.Core.Text;

/// <summary>
/// Text after Unicode normalization as HF's tokenizers normalize it, with a map from each normalized char back to a span
/// of the original, so token offsets can be reported against what the caller passed in.
/// </summary>
/// <remarks>
/// Code points HF's normalizer does not know (<see cref="HfUnicodeVersion"/>), and lone surrogates, are copied through
/// untouched and normalization runs on the text between them, which is what HF's older Unicode tables amount to.
/// Everything is linear in the length of the text.
/// </remarks>
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
        // Nearly all text is already normalized: then offsets are the identity and nothing is copied.
        if (form is not { } f || (!HasBoundary(text) && text.IsNormalized(f)))
            return new NormalizedText(text, null, null);

        var map = new Builder(text.Length);
        var segmentStart = 0;
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsSurrogatePair(text, i) ? 2 : 1;
            if (IsBoundary(text, i, width))
            {
                map.AppendNormalized(text, segmentStart, i - segmentStart, f);
                map.AppendVerbatim(text, i, width);
                segmentStart = i + width;
            }
            i += width;
        }
        map.AppendNormalized(text, segmentStart, text.Length - segmentStart, f);
        var normalized = map.Text.ToString();
        return normalized == text ? new NormalizedText(text, null, null) : new NormalizedText(normalized, [.. map.Starts], [.. map.Ends]);
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

    private static bool HasBoundary(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsSurrogatePair(text, i) ? 2 : 1;
            if (IsBoundary(text, i, width)) return true;
            i += width;
        }
        return false;
    }

    // A lone surrogate cannot be normalized (.NET throws) and never reaches HF (Rust strings are UTF-8).
    private static bool IsBoundary(string text, int i, int width) =>
        width == 2 ? HfUnicodeVersion.IsUnknown(char.ConvertToUtf32(text[i], text[i + 1])) : char.IsSurrogate(text[i]) || HfUnicodeVersion.IsUnknown(text[i]);

    private sealed class Builder(int capacity)
    {
        public StringBuilder Text { get; } = new(capacity);
        public List<int> Starts { get; } = new(capacity);
        public List<int> Ends { get; } = new(capacity);

        public void AppendVerbatim(string text, int start, int length)
        {
            Text.Append(text, start, length);
            for (var i = 0; i < length; i++)
            {
                Starts.Add(start + i);
                Ends.Add(start + i + 1);
            }
        }

        public void AppendNormalized(string text, int start, int length, NormalizationForm form)
        {
            if (length == 0) return;
            var segment = text.Substring(start, length);
            if (segment.IsNormalized(form))
            {
                AppendVerbatim(text, start, length);
                return;
            }
            // Normalize one grapheme cluster at a time: composition and reordering happen among a base character and
            // its marks, which one cluster holds, so each output char maps back to the cluster it came from.
            var from = Text.Length;
            var enumerator = StringInfo.GetTextElementEnumerator(segment);
            while (enumerator.MoveNext())
            {
                var element = (string)enumerator.Current;
                var normalized = element.Normalize(form);
                Text.Append(normalized);
                for (var i = 0; i < normalized.Length; i++)
                {
                    Starts.Add(start + enumerator.ElementIndex);
                    Ends.Add(start + enumerator.ElementIndex + element.Length);
                }
            }
            var whole = segment.Normalize(form);
            if (Text.ToString(from, Text.Length - from) == whole) return;
            // A composition across clusters (not seen in practice): keep the exact normalized text and report every
            // char of it as spanning the whole segment rather than a wrong span.
            Text.Length = from;
            Starts.RemoveRange(from, Starts.Count - from);
            Ends.RemoveRange(from, Ends.Count - from);
            Text.Append(whole);
            for (var i = 0; i < whole.Length; i++)
            {
                Starts.Add(start);
                Ends.Add(start + length);
            }
        }
    }
}
