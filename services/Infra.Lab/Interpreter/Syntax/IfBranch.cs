namespace Infra.Lab.Interpreter.Syntax;

/// <summary>One <c>if</c> or <c>elif</c> arm.</summary>
internal sealed record IfBranch(Expr Condition, IReadOnlyList<Stmt> Body, int Line);
