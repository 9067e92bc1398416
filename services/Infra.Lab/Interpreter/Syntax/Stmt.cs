namespace Infra.Lab.Interpreter.Syntax;

/// <summary>A statement; <see cref="Line"/> is its first line.</summary>
internal abstract record Stmt(int Line);
