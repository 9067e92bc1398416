namespace Infra.Lab.Interpreter;

/// <summary>
/// A failure while parsing or running a program. <see cref="Exception.Message"/> reads like
/// "line 3: NameError: name 'y' is not defined".
/// </summary>
public sealed class PythonException : Exception
{
    public PythonException(PythonErrorKind kind, int line, string detail)
        : base($"line {line}: {kind}: {detail}")
    {
        Kind = kind;
        Line = line;
        Detail = detail;
    }

    /// <summary>Which class of failure this is.</summary>
    public PythonErrorKind Kind { get; }

    /// <summary>The 1-based source line the failure is attributed to.</summary>
    public int Line { get; }

    /// <summary>The message without the line and kind prefix.</summary>
    public string Detail { get; } = "";
}
