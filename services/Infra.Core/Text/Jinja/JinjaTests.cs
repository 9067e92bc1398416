namespace Infra.Core.Text.Jinja;

/// <summary>
/// The <c>is</c> tests the reference renderer knows (<c>defined</c>, <c>none</c>, <c>string</c>, <c>mapping</c>, ...).
/// Like the reference, a test takes no argument after its name in <c>x is test</c>; <c>selectattr</c> passes one.
/// </summary>
internal static class JinjaTests
{
    public static bool Exists(string name) => Run(name, null, null, probe: true);

    public static bool Apply(string name, object? operand, object? argument = null) => Run(name, operand, argument, probe: false);

    private static bool Run(string name, object? v, object? arg, bool probe)
    {
        switch (name)
        {
            case "boolean": return probe || v is bool;
            case "callable": return probe || v is JinjaFunction;
            case "odd": return probe || (v is long l ? l % 2 != 0 : throw new JinjaException($"cannot odd on {JinjaValues.TypeName(v)}"));
            case "even": return probe || (v is long e ? e % 2 == 0 : throw new JinjaException($"cannot even on {JinjaValues.TypeName(v)}"));
            case "false": return probe || v is false;
            case "true": return probe || v is true;
            case "none": return probe || v is null;
            case "string": return probe || v is string;
            case "number": return probe || v is long or double;
            case "integer": return probe || v is long;
            case "iterable": return probe || v is List<object?> or string;
            case "mapping": return probe || v is JinjaDict;
            case "sequence": return probe || v is List<object?> or JinjaDict or string;
            case "lower": return probe || (v is string lo && string.Equals(lo, lo.ToLowerInvariant(), StringComparison.Ordinal));
            case "upper": return probe || (v is string up && string.Equals(up, up.ToUpperInvariant(), StringComparison.Ordinal));
            case "defined": return probe || v is not JinjaUndefined;
            case "undefined": return probe || v is JinjaUndefined;
            // JavaScript's === on the underlying values.
            case "equalto" or "eq": return probe || JinjaValues.StrictEquals(v, arg);
            default: return false;
        }
    }
}
