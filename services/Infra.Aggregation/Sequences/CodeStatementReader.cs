namespace Infra.Aggregation.Sequences;

/// <summary>
/// Reads lines of code into statements and indented blocks. A statement starts at the start of its
/// first line (indentation included) and runs over lines while a bracket or a triple-quoted string
/// is open or a line ends in '\'; ';' outside strings and brackets starts another statement on the
/// same line. A statement whose last significant character is ':' is a block header: it opens a
/// <see cref="SequenceBlockKind.CodeBlock"/> holding itself and every later statement indented deeper.
/// Strings and '#' comments are skipped when looking for brackets, ';' and ':'. Blank lines go
/// with the statement before them.
/// </summary>
internal sealed class CodeStatementReader(string text, SegmentationBuilder builder, int tabWidth)
{
    private readonly Stack<(int Indent, int Block)> _open = new();
    private int _depth;
    private char _quote;
    private bool _triple;

    /// <summary>Reads <paramref name="lines"/>; top-level statements get <paramref name="parent"/> as block.</summary>
    public void Read(IReadOnlyList<TextLine> lines, int? parent)
    {
        _open.Clear();
        _depth = 0;
        _quote = '\0';
        var continuing = false;
        var anchor = -1;
        int? statementParent = null;
        var indent = 0;
        foreach (var line in lines)
        {
            if (!continuing)
            {
                if (line.IsBlank)
                    continue;
                indent = Indent(line);
                while (_open.Count > 0 && indent <= _open.Peek().Indent) _open.Pop();
                statementParent = _open.Count > 0 ? _open.Peek().Block : parent;
                anchor = builder.Anchor(line.Start, SequenceKind.CodeLine, statementParent);
            }
            var last = Scan(line, ref anchor, statementParent);
            continuing = _depth > 0 || (_quote != '\0' && _triple) || last == '\\';
            if (_quote != '\0' && !_triple)
                _quote = '\0'; // an unterminated one-line string ends with its line
            if (!continuing && last == ':')
            {
                var block = builder.OpenBlock(SequenceBlockKind.CodeBlock, statementParent);
                builder.Retag(anchor, SequenceKind.CodeBlockHeader, block);
                _open.Push((indent, block));
            }
        }
    }

    /// <returns>The line's last significant character outside strings and comments ('\0' if none).</returns>
    private char Scan(TextLine line, ref int anchor, int? statementParent)
    {
        var last = '\0';
        for (var i = line.ContentStart; i < line.ContentEnd; i++)
        {
            var c = text[i];
            if (_quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == _quote && (!_triple || IsTriple(i, c)))
                {
                    if (_triple) i += 2;
                    _quote = '\0';
                }
                last = c;
                continue;
            }
            switch (c)
            {
                case '#':
                    return last;
                case '"' or '\'':
                    _quote = c;
                    _triple = IsTriple(i, c);
                    if (_triple) i += 2;
                    break;
                case '(' or '[' or '{':
                    _depth++;
                    break;
                case ')' or ']' or '}':
                    _depth = Math.Max(0, _depth - 1);
                    break;
                case ';' when _depth == 0:
                    var next = i + 1;
                    while (next < line.ContentEnd && char.IsWhiteSpace(text[next])) next++;
                    if (next < line.ContentEnd && text[next] != '#')
                    {
                        // The space after ';' goes with the next statement, as a word's leading space does.
                        anchor = builder.Anchor(i + 1, SequenceKind.CodeLine, statementParent);
                    }
                    break;
            }
            if (!char.IsWhiteSpace(c))
                last = c;
        }
        return last;
    }

    private bool IsTriple(int i, char quote) => i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote;

    private int Indent(TextLine line)
    {
        var columns = 0;
        for (var i = line.Start; i < line.ContentStart; i++)
            columns = text[i] == '\t' ? (columns / tabWidth + 1) * tabWidth : columns + 1;
        return columns;
    }
}
