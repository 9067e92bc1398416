namespace Infra.Lab.Interpreter.Syntax;

/// <summary>Lexical classes of the Python subset.</summary>
internal enum TokenKind
{
    Name,
    Keyword,
    Integer,
    String,
    Operator,
    Newline,
    Indent,
    Dedent,
    End,
}
