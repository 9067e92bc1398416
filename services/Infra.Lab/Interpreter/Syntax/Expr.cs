namespace Infra.Lab.Interpreter.Syntax;

/// <summary>An expression; <see cref="Line"/> is where runtime errors in it are reported.</summary>
internal abstract record Expr(int Line);
