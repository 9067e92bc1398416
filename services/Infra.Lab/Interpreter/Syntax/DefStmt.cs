namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A function definition with positional parameters.</summary>
internal sealed record DefStmt(string Name, IReadOnlyList<string> Parameters, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);
