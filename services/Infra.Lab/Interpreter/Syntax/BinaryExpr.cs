namespace Infra.Lab.Interpreter.Syntax;

/// <summary>An arithmetic operator, or <c>and</c>/<c>or</c> (which short-circuit).</summary>
internal sealed record BinaryExpr(string Op, Expr Left, Expr Right, int Line) : Expr(Line);
