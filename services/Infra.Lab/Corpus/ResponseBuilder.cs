using System.Text;

namespace Infra.Lab.Corpus;

/// <summary>Builds a response line by line, recording where tagged lines land.</summary>
internal sealed class ResponseBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<TaggedSpan> _spans = [];

    public ResponseBuilder Line(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }

    public ResponseBuilder Tagged(SpanKind kind, string line)
    {
        var start = _text.Length;
        Line(line);
        _spans.Add(new TaggedSpan(kind, start, _text.Length - start));
        return this;
    }

    /// <summary>The text without its final newline (the answer line is the last line), and the spans.</summary>
    public (string Text, IReadOnlyList<TaggedSpan> Spans) Build()
    {
        var text = _text.ToString().TrimEnd('\n');
        var spans = _spans.Select(s => s.Start + s.Length > text.Length ? s with { Length = text.Length - s.Start } : s).ToList();
        return (text, spans);
    }
}
