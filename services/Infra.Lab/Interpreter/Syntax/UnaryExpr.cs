namespace Infra.Lab.Interpreter.Syntax;

/// <summary>Unary <c>-</c>, <c>+</c> or <c>not</c>.</summary>
internal sealed record UnaryExpr(string Op, Expr Operand, int Line) : Expr(Line);
