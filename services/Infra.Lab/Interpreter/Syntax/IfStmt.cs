namespace Infra.Lab.Interpreter.Syntax;

/// <summary><c>if</c>/<c>elif</c>/<c>else</c>; <see cref="Else"/> is empty when there is none.</summary>
internal sealed record IfStmt(IReadOnlyList<IfBranch> Branches, IReadOnlyList<Stmt> Else, int Line) : Stmt(Line);
