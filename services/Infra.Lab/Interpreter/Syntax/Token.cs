namespace Infra.Lab.Interpreter.Syntax;

/// <summary>One token with the 1-based line it starts on.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;
}
