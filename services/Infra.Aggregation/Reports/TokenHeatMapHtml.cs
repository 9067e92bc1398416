using System.Globalization;
using System.Text;

namespace Infra.Aggregation.Reports;

/// <summary>
/// One example as a token heat-map: each token a span coloured on the diverging scale, symmetric by
/// the example's largest |token score|, with its score in a title and data-score; prompt tokens
/// dimmed; sequence boundaries as labelled markers and underlines.
/// </summary>
internal static class TokenHeatMapHtml
{
    public static void Write(StringBuilder html, ReportExample example, string list, int rank)
    {
        var maxAbs = example.Tokens.Select(t => double.IsFinite(t.Score) ? Math.Abs(t.Score) : 0).DefaultIfEmpty(0).Max();
        var id = $"{list}-example-{rank}";
        html.Append(CultureInfo.InvariantCulture,
            $"<article class=\"example\" id=\"{id}\" data-list=\"{list}\" data-rank=\"{rank}\" data-example-id=\"{HtmlText.Escape(example.Id)}\" data-score=\"{ReportFormat.Score(example.Score)}\">\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<header><span class=\"rank\">#{rank}</span> <code class=\"example-id\">{HtmlText.Escape(example.Id)}</code> ");
        html.Append(CultureInfo.InvariantCulture,
            $"<span class=\"badge\">{HtmlText.Escape(example.Domain)}</span> <span class=\"badge\">difficulty {example.Difficulty}</span> ");
        if (example.QueryDomain is { } q)
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"badge\">for {HtmlText.Escape(q)} queries</span> ");
        html.Append(CultureInfo.InvariantCulture,
            $"<span class=\"example-score {(example.Score >= 0 ? "pos" : "neg")}\">score {ReportFormat.Score(example.Score)}</span> ");
        html.Append(CultureInfo.InvariantCulture,
            $"<span class=\"scale-note\">{example.Tokens.Count} tokens; colour scale ±{ReportFormat.Score(maxAbs).TrimStart('+')}</span></header>\n");
        html.Append("<div class=\"tokens\">");
        WriteTokens(html, example, maxAbs);
        html.Append("</div>\n</article>\n");
    }

    private static void WriteTokens(StringBuilder html, ReportExample example, double maxAbs)
    {
        var starts = new int[example.Tokens.Count];
        var position = 0;
        for (var i = 0; i < example.Tokens.Count; i++)
        {
            starts[i] = position;
            position += example.Tokens[i].Text.Length;
        }
        // The token a sequence opens at: the one holding its first character (a boundary may fall inside a token).
        var opens = new List<int>[example.Tokens.Count + 1];
        var closes = new List<int>[example.Tokens.Count + 1];
        var sequenceOf = new int[example.Tokens.Count];
        Array.Fill(sequenceOf, -1);
        for (var k = 0; k < (example.Tokens.Count == 0 ? 0 : example.Sequences.Count); k++)
        {
            var seq = example.Sequences[k];
            var first = TokenAt(starts, example.Tokens, seq.Start);
            var last = TokenAt(starts, example.Tokens, seq.Start + Math.Max(1, seq.Length) - 1);
            (opens[first] ??= []).Add(k);
            (closes[last + 1] ??= []).Add(k);
            for (var i = first; i <= Math.Min(last, example.Tokens.Count - 1); i++)
            {
                sequenceOf[i] = k;
            }
        }
        for (var i = 0; i <= example.Tokens.Count; i++)
        {
            foreach (var k in closes[i] ?? [])
            {
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"seq-end\" data-seq=\"{k}\" aria-hidden=\"true\"></span>");
            }
            foreach (var k in opens[i] ?? [])
            {
                var seq = example.Sequences[k];
                html.Append(CultureInfo.InvariantCulture,
                    $"<span class=\"seq-start\" data-seq=\"{k}\" data-kind=\"{HtmlText.Escape(seq.Kind)}\" data-score=\"{ReportFormat.Score(seq.Score)}\" title=\"{HtmlText.Escape(seq.Kind)} sequence: score {ReportFormat.Score(seq.Score)} (sum of its tokens)\">{HtmlText.Escape(seq.Kind)} {ReportFormat.Score(seq.Score)}</span>");
            }
            if (i < example.Tokens.Count)
                WriteToken(html, example.Tokens[i], i, maxAbs, sequenceOf[i] < 0 ? null : example.Sequences[sequenceOf[i]].Kind, sequenceOf[i]);
        }
    }

    private static void WriteToken(StringBuilder html, ReportToken token, int index, double maxAbs, string? sequenceKind, int sequence)
    {
        var classes = "tok" + (token.InResponse ? "" : " prompt") + (token.Text.Contains('\n', StringComparison.Ordinal) ? " nl" : "")
            + (sequenceKind is null ? "" : " in-seq");
        var color = DivergingColorScale.Hex(token.Score, maxAbs);
        var text = DivergingColorScale.NeedsLightText(token.Score, maxAbs) ? ";color:#fff" : "";
        var score = ReportFormat.Score(token.Score);
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"{classes}\" data-i=\"{index}\" data-score=\"{score}\"");
        if (sequenceKind is not null)
            html.Append(CultureInfo.InvariantCulture, $" data-seq=\"{sequence}\" data-seq-kind=\"{HtmlText.Escape(sequenceKind)}\"");
        html.Append(CultureInfo.InvariantCulture,
            $" style=\"background:{color}{text}\" title=\"{score} ({(token.InResponse ? "response" : "prompt")}) {HtmlText.Escape(HtmlText.Visible(token.Text))}\">{HtmlText.Escape(token.Text)}</span>");
    }

    private static int TokenAt(int[] starts, IReadOnlyList<ReportToken> tokens, int charIndex)
    {
        if (tokens.Count == 0)
            return 0;
        var i = Array.BinarySearch(starts, charIndex);
        if (i < 0)
            i = ~i - 1;
        // Zero-length tokens share a start; step past them to the one that holds the character.
        while (i < tokens.Count - 1 && starts[i + 1] <= charIndex)
            i++;
        return Math.Clamp(i, 0, tokens.Count - 1);
    }
}
