namespace Infra.Lab.Interpreter.Syntax;

/// <summary><c>for name in iterable:</c> over a range, list or string.</summary>
internal sealed record ForStmt(string Variable, Expr Iterable, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);
