namespace Infra.Lab.Interpreter.Syntax;

/// <summary><c>return</c> with an optional value (None when absent).</summary>
internal sealed record ReturnStmt(Expr? Value, int Line) : Stmt(Line);
