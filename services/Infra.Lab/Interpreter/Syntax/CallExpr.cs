namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A call of a builtin or user function by name.</summary>
internal sealed record CallExpr(string Name, IReadOnlyList<Expr> Args, int Line) : Expr(Line);
