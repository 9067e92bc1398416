namespace Infra.Lab.Interpreter.Syntax;

/// <summary><c>pass</c>, <c>break</c> or <c>continue</c>.</summary>
internal sealed record KeywordStmt(string Keyword, int Line) : Stmt(Line);
