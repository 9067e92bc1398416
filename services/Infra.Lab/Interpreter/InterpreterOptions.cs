namespace Infra.Lab.Interpreter;

/// <summary>Resource limits that make every program terminate, even a generated or user-written buggy one.</summary>
public sealed class InterpreterOptions
{
    /// <summary>Most statements (and loop iterations) executed in one run. Defaults to 100,000.</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>Most iterations of any single while loop. Defaults to 10,000.</summary>
    public int MaxWhileIterations { get; init; } = 10_000;

    /// <summary>Deepest nesting of function calls (recursion included). Defaults to 100.</summary>
    public int MaxCallDepth { get; init; } = 100;

    /// <summary>The defaults, shared because options are immutable.</summary>
    public static InterpreterOptions Default { get; } = new();
}
