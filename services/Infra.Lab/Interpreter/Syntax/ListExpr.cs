namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A list display <c>[a, b, c]</c>.</summary>
internal sealed record ListExpr(IReadOnlyList<Expr> Items, int Line) : Expr(Line);
