namespace Infra.Aggregation.Sequences;

/// <summary>
/// Finds where sentences start inside one line of prose. A sentence ends at '.', '!' or '?' (with
/// any closing quotes or brackets after it) followed by whitespace and then something that is not a
/// lower-case letter; the whitespace goes to the next sentence, as the tokenizer puts a word's
/// leading space on the word. Not ends: a period inside a number ("3.5") or word ("x.y"), after a
/// known abbreviation ("e.g.", "i.e.", "etc.", "vs."), after a list number or letter at the start
/// of the line ("1. ", "b. "), and anything inside `inline code`.
/// </summary>
internal static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "vs", "cf", "approx", "resp", "mr", "mrs", "ms", "dr", "prof", "fig", "eq", "eqs", "al",
    };

    /// <summary>Starts of the sentences after the first (the first starts at the line start).</summary>
    public static IEnumerable<int> InnerStarts(string text, TextLine line)
    {
        var inCode = false;
        for (var i = line.ContentStart; i < line.ContentEnd; i++)
        {
            var c = text[i];
            if (c == '`')
            {
                inCode = !inCode;
                continue;
            }
            if (inCode || c is not ('.' or '!' or '?'))
                continue;
            var after = i + 1;
            while (after < line.ContentEnd && text[after] is '.' or '!' or '?')
                after++;
            while (after < line.ContentEnd && text[after] is '"' or '\'' or ')' or ']' or '\u201D' or '\u2019')
                after++;
            if (after >= line.ContentEnd || !char.IsWhiteSpace(text[after]))
            {
                i = after - 1;
                continue;
            }
            var next = after;
            while (next < line.ContentEnd && char.IsWhiteSpace(text[next])) next++;
            var ends = !char.IsLower(text[next]) && !(c == '.' && after == i + 1 && NotAnEndingPeriod(text, line, i));
            i = after - 1;
            if (ends)
                yield return after;
        }
    }

    private static bool NotAnEndingPeriod(string text, TextLine line, int period)
    {
        var wordStart = period;
        while (wordStart > line.ContentStart && !char.IsWhiteSpace(text[wordStart - 1])) wordStart--;
        var word = text[wordStart..period].TrimStart('(', '"', '\'', '[');
        if (Abbreviations.Contains(word))
            return true;
        // "1. First ..." and "b. Then ...": a list marker, not a sentence of its own.
        return wordStart == line.ContentStart && word.Length > 0 && (word.All(char.IsAsciiDigit) || (word.Length == 1 && char.IsLetter(word[0])));
    }
}
