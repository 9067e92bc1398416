namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A method call such as <c>xs.append(3)</c>.</summary>
internal sealed record MethodCallExpr(Expr Target, string Method, IReadOnlyList<Expr> Args, int Line) : Expr(Line);
