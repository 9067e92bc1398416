namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A comparison chain <c>a &lt; b &lt;= c</c>, evaluated as Python does (each operand once).</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<string> Ops, IReadOnlyList<Expr> Rest, int Line) : Expr(Line);
