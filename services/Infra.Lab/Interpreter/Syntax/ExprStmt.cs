namespace Infra.Lab.Interpreter.Syntax;

/// <summary>An expression evaluated for its effect (usually a call).</summary>
internal sealed record ExprStmt(Expr Value, int Line) : Stmt(Line);
