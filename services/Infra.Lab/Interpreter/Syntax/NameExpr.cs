namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A variable or function name.</summary>
internal sealed record NameExpr(string Name, int Line) : Expr(Line);
