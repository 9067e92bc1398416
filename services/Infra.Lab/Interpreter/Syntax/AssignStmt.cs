namespace Infra.Lab.Interpreter.Syntax;

/// <summary>
/// <c>target = value</c> or an augmented form (<c>+=</c>, <c>-=</c>, ...); <see cref="Op"/> is the
/// binary operator for the augmented form and null for plain assignment. The target is a
/// <see cref="NameExpr"/> or an <see cref="IndexExpr"/>.
/// </summary>
internal sealed record AssignStmt(Expr Target, string? Op, Expr Value, int Line) : Stmt(Line);
