using System.Text;

namespace Infra.Lab.Interpreter.Syntax;

/// <summary>
/// Turns source into tokens, Python-style: indentation becomes Indent/Dedent tokens, and newlines
/// inside brackets are ignored (implicit line joining). Tabs are refused rather than guessed at.
/// </summary>
internal static class Lexer
{
    private const int MaxBracketDepth = 64;

    private static readonly HashSet<string> Keywords =
    [
        "if", "elif", "else", "for", "in", "while", "def", "return", "and", "or", "not",
        "True", "False", "None", "pass", "break", "continue",
    ];

    // Longest first so that "//=" wins over "//" and "/".
    private static readonly string[] Operators =
    [
        "//=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "%=",
        "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", ",", ":", ".",
    ];

    public static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        var indents = new Stack<int>();
        indents.Push(0);
        var depth = 0;
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index];
            var pos = 0;
            if (depth == 0)
            {
                while (pos < line.Length && line[pos] == ' ')
                {
                    pos++;
                }
                if (pos < line.Length && line[pos] == '\t')
                {
                    throw new PythonException(PythonErrorKind.SyntaxError, lineNumber, "tabs are not allowed for indentation; use spaces");
                }
                if (pos == line.Length || line[pos] == '#')
                {
                    continue; // blank and comment-only lines do not affect indentation
                }
                if (pos > indents.Peek())
                {
                    indents.Push(pos);
                    tokens.Add(new Token(TokenKind.Indent, "", lineNumber));
                }
                while (pos < indents.Peek())
                {
                    indents.Pop();
                    tokens.Add(new Token(TokenKind.Dedent, "", lineNumber));
                }
                if (pos != indents.Peek())
                {
                    throw new PythonException(PythonErrorKind.SyntaxError, lineNumber, "unindent does not match any outer indentation level");
                }
            }
            var emitted = false;
            while (pos < line.Length)
            {
                var c = line[pos];
                if (c == ' ')
                {
                    pos++;
                }
                else if (c == '#')
                {
                    break;
                }
                else if (char.IsAsciiDigit(c))
                {
                    var start = pos;
                    while (pos < line.Length && char.IsAsciiDigit(line[pos]))
                    {
                        pos++;
                    }
                    tokens.Add(new Token(TokenKind.Integer, line[start..pos], lineNumber));
                    emitted = true;
                }
                else if (char.IsAsciiLetter(c) || c == '_')
                {
                    var start = pos;
                    while (pos < line.Length && (char.IsAsciiLetterOrDigit(line[pos]) || line[pos] == '_'))
                    {
                        pos++;
                    }
                    var word = line[start..pos];
                    tokens.Add(new Token(Keywords.Contains(word) ? TokenKind.Keyword : TokenKind.Name, word, lineNumber));
                    emitted = true;
                }
                else if (c is '\'' or '"')
                {
                    tokens.Add(new Token(TokenKind.String, ReadString(line, ref pos, lineNumber), lineNumber));
                    emitted = true;
                }
                else
                {
                    var op = Array.Find(Operators, o => string.CompareOrdinal(line, pos, o, 0, o.Length) == 0)
                        ?? throw new PythonException(PythonErrorKind.SyntaxError, lineNumber, $"unexpected character '{c}'");
                    depth += op is "(" or "[" ? 1 : op is ")" or "]" ? -1 : 0;
                    if (depth > MaxBracketDepth)
                    {
                        // The parser recurses per bracket; refusing absurd nesting keeps it off the stack limit.
                        throw new PythonException(PythonErrorKind.SyntaxError, lineNumber, "brackets nested too deeply");
                    }
                    if (depth < 0)
                    {
                        throw new PythonException(PythonErrorKind.SyntaxError, lineNumber, $"unmatched '{op}'");
                    }
                    tokens.Add(new Token(TokenKind.Operator, op, lineNumber));
                    pos += op.Length;
                    emitted = true;
                }
            }
            if (emitted && depth == 0)
            {
                tokens.Add(new Token(TokenKind.Newline, "", lineNumber));
            }
        }
        var last = lines.Length;
        if (depth != 0)
        {
            throw new PythonException(PythonErrorKind.SyntaxError, last, "unexpected end of input: unclosed bracket");
        }
        while (indents.Count > 1)
        {
            indents.Pop();
            tokens.Add(new Token(TokenKind.Dedent, "", last));
        }
        tokens.Add(new Token(TokenKind.End, "", last));
        return tokens;
    }

    private static string ReadString(string line, ref int pos, int lineNumber)
    {
        var quote = line[pos++];
        var text = new StringBuilder();
        while (pos < line.Length && line[pos] != quote)
        {
            if (line[pos] == '\\' && pos + 1 < line.Length)
            {
                pos++;
                text.Append(line[pos] switch { 'n' => '\n', 't' => '\t', var other => other });
            }
            else
            {
                text.Append(line[pos]);
            }
            pos++;
        }
        if (pos >= line.Length)
        {
            throw new PythonException(PythonErrorKind.SyntaxError, lineNumber, "unterminated string literal");
        }
        pos++;
        return text.ToString();
    }
}
