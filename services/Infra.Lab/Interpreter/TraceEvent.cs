namespace Infra.Lab.Interpreter;

/// <summary>One observable step of a run, used to write trace-style reasoning.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Line">The 1-based source line it happened on.</param>
/// <param name="Subject">The variable, keyword or call involved (empty for prints).</param>
/// <param name="Value">The value involved, written as Python's repr (str for prints).</param>
public sealed record TraceEvent(TraceEventKind Kind, int Line, string Subject, string Value);
