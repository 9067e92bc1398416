using Infra.Lab.Interpreter.Syntax;

namespace Infra.Lab.Interpreter;

/// <summary>A user-defined function as a runtime value.</summary>
internal sealed record FunctionValue(DefStmt Definition);
