namespace Infra.Lab.Interpreter.Syntax;

/// <summary>An integer, string, boolean or None constant (None is null).</summary>
internal sealed record LiteralExpr(object? Value, int Line) : Expr(Line);
