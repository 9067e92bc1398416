namespace Infra.Lab.Interpreter.Syntax;

/// <summary>Subscription <c>target[index]</c> of a list or string.</summary>
internal sealed record IndexExpr(Expr Target, Expr Index, int Line) : Expr(Line);
