namespace Infra.Lab.Interpreter;

/// <summary>One activation: its local names, and the return value once <see cref="Flow.Return"/> fires.</summary>
internal sealed class Frame(Dictionary<string, object?> locals)
{
    public Dictionary<string, object?> Locals { get; } = locals;

    public object? ReturnValue { get; set; }
}
