namespace Infra.Lab.Interpreter;

/// <summary>The classes of failure the interpreter reports; each message names one and a line.</summary>
public enum PythonErrorKind
{
    /// <summary>The source does not parse (bad indentation, unexpected token, unsupported syntax).</summary>
    SyntaxError,
    /// <summary>A name is used before it is assigned or defined.</summary>
    NameError,
    /// <summary>An operation or call got values of the wrong type or the wrong number of arguments.</summary>
    TypeError,
    /// <summary>An index is outside a list or string.</summary>
    IndexError,
    /// <summary>Integer division or modulo by zero.</summary>
    ZeroDivisionError,
    /// <summary>A value is of the right type but not acceptable (e.g. <c>max</c> of an empty list).</summary>
    ValueError,
    /// <summary>A 64-bit integer operation overflowed (arbitrary-size integers are not supported).</summary>
    OverflowError,
    /// <summary>The program ran more statements than <see cref="InterpreterOptions.MaxSteps"/>.</summary>
    StepLimitExceeded,
    /// <summary>A while loop ran more iterations than <see cref="InterpreterOptions.MaxWhileIterations"/>.</summary>
    IterationLimitExceeded,
    /// <summary>Calls nested deeper than <see cref="InterpreterOptions.MaxCallDepth"/>.</summary>
    RecursionLimitExceeded,
}
