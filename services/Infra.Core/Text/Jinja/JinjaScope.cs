namespace Infra.Core.Text.Jinja;

/// <summary>
/// Variables of one scope and its parent chain. A <c>for</c> body and a macro call get a child scope, so a plain
/// <c>set</c> inside them does not leak out; <c>if</c> bodies share their parent's.
/// </summary>
internal sealed class JinjaScope(JinjaScope? parent)
{
    private readonly JinjaScope? _parent = parent;

    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public void Set(string name, object? value) => _variables[name] = value;

    public object? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._variables.TryGetValue(name, out var value)) return value;
        }
        return JinjaUndefined.Value;
    }
}
