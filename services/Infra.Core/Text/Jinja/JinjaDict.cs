namespace Infra.Core.Text.Jinja;

/// <summary>
/// A template mapping (a message, a dict literal): string keys in insertion order, which is the order
/// <c>items()</c>, <c>tojson</c> and <c>for k in d</c> see.
/// </summary>
public class JinjaDict : OrderedDictionary<string, object?>
{
    public JinjaDict() : base(StringComparer.Ordinal) { }

    public JinjaDict(IEnumerable<KeyValuePair<string, object?>> entries) : base(StringComparer.Ordinal)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries) this[key] = value;
    }
}
