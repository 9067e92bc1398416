namespace Infra.Aggregation.Sequences;

/// <summary>
/// One line of a region: [<see cref="Start"/>, <see cref="End"/>) including its line break;
/// [<see cref="ContentStart"/>, <see cref="ContentEnd"/>) without indentation and trailing whitespace.
/// </summary>
internal readonly record struct TextLine(int Start, int ContentStart, int ContentEnd, int End)
{
    public bool IsBlank => ContentStart == ContentEnd;

    /// <summary>Splits [start, start + length) of <paramref name="text"/> at '\n' (a '\r' before it stays in the line's whitespace).</summary>
    public static List<TextLine> Split(string text, int start, int length)
    {
        var lines = new List<TextLine>();
        var end = start + length;
        var lineStart = start;
        while (lineStart < end)
        {
            var newline = text.IndexOf('\n', lineStart, end - lineStart);
            var lineEnd = newline < 0 ? end : newline + 1;
            var contentStart = lineStart;
            var bodyEnd = newline < 0 ? end : newline;
            while (contentStart < bodyEnd && char.IsWhiteSpace(text[contentStart])) contentStart++;
            var contentEnd = bodyEnd;
            while (contentEnd > contentStart && char.IsWhiteSpace(text[contentEnd - 1])) contentEnd--;
            lines.Add(new TextLine(lineStart, contentStart, contentEnd, lineEnd));
            lineStart = lineEnd;
        }
        return lines;
    }
}
