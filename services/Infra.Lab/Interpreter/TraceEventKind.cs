namespace Infra.Lab.Interpreter;

/// <summary>What a <see cref="TraceEvent"/> records.</summary>
public enum TraceEventKind
{
    /// <summary>A variable or list element was assigned: Subject is the target, Value the new value.</summary>
    Assign,
    /// <summary>A for loop bound its variable: Subject is the variable, Value the element.</summary>
    Iterate,
    /// <summary>An if/elif/while condition was evaluated: Subject is the keyword, Value "True" or "False".</summary>
    Condition,
    /// <summary>print wrote a line: Value is the line without its newline.</summary>
    Print,
    /// <summary>A user function was called: Subject is the call with its argument values, e.g. "f(3)".</summary>
    Call,
    /// <summary>A user function returned: Subject is the call, Value the result.</summary>
    Return,
}
