namespace Infra.Lab.Interpreter.Syntax;

/// <summary><c>while condition:</c>, bounded by <see cref="InterpreterOptions.MaxWhileIterations"/>.</summary>
internal sealed record WhileStmt(Expr Condition, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);
