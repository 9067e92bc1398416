using Infra.Lab.Interpreter.Syntax;

namespace Infra.Lab.Interpreter;

/// <summary>
/// Runs programs in the lab's Python subset: 64-bit ints (overflow is an error), bools, strings,
/// lists, indexing, len/range/print/min/max/sum/abs/str/int/list/sorted, list.append/pop,
/// arithmetic with // % **, comparisons, and/or/not, if/elif/else, for, while, def/return and
/// recursion. Every failure is a <see cref="PythonException"/> carrying its line.
/// </summary>
public static class PythonInterpreter
{
    /// <summary>Parses and runs <paramref name="source"/>; throws <see cref="PythonException"/> on failure.</summary>
    /// <param name="source">The program, indented with spaces.</param>
    /// <param name="options">Limits; <see cref="InterpreterOptions.Default"/> when null.</param>
    /// <param name="trace">Whether to record <see cref="TraceEvent"/>s (off by default: it costs memory).</param>
    public static ProgramResult Run(string source, InterpreterOptions? options = null, bool trace = false) =>
        Run(source, [], options, trace);

    /// <summary>
    /// Runs <paramref name="source"/>, then evaluates each of <paramref name="expressions"/> (e.g.
    /// "f(3, [1, 2])") in the module's scope and returns their reprs in <see cref="ProgramResult.Values"/>.
    /// This is how a written function is tested: values, not printed text, are compared.
    /// </summary>
    public static ProgramResult Run(string source, IReadOnlyList<string> expressions, InterpreterOptions? options = null, bool trace = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(expressions);
        var program = Parser.ParseProgram(source);
        var evaluator = new Evaluator(options ?? InterpreterOptions.Default, trace);
        evaluator.RunModule(program);
        var values = new List<string>(expressions.Count);
        foreach (var expression in expressions)
        {
            var statements = Parser.ParseProgram(expression);
            if (statements is not [ExprStmt single])
            {
                throw new PythonException(PythonErrorKind.SyntaxError, 1, $"not a single expression: {expression}");
            }
            values.Add(PyValues.Repr(evaluator.EvaluateInModule(single.Value)));
        }
        return new ProgramResult(evaluator.Output, evaluator.Trace, values);
    }
}
