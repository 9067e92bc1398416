using System.Collections;
using System.Globalization;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// What a template value is and how it behaves, with the reference renderer's rules. Values are plain .NET objects:
/// null (None), <see cref="JinjaUndefined"/>, bool, long (integer), double (float), string, <c>List&lt;object?&gt;</c>,
/// <see cref="JinjaDict"/>, <see cref="JinjaNamespace"/> and <see cref="JinjaFunction"/>.
/// </summary>
internal static class JinjaValues
{
    /// <summary>Converts a caller's value (any integer or floating type, strings, lists, dictionaries) to a template value.</summary>
    public static object? From(object? value) => value switch
    {
        null => null,
        JinjaUndefined or string or bool or long or JinjaDict or JinjaNamespace or JinjaFunction => value,
        int or short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        // A JavaScript number with no fraction is an integer to the reference renderer.
        double or float or decimal when Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && Math.Floor(d) == d && Math.Abs(d) < 9e15 => (long)d,
        double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        List<object?> list => list,
        IDictionary<string, object?> dict => new JinjaDict(dict.Select(kv => new KeyValuePair<string, object?>(kv.Key, From(kv.Value)))),
        IReadOnlyDictionary<string, object?> dict => new JinjaDict(dict.Select(kv => new KeyValuePair<string, object?>(kv.Key, From(kv.Value)))),
        IEnumerable items => items.Cast<object?>().Select(From).ToList(),
        _ => throw new JinjaException($"Cannot convert to a template value: {value.GetType().Name}"),
    };

    public static bool IsNumber(object? v) => v is long or double;

    public static bool IsNumericLike(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new JinjaException($"Not a number: {TypeName(v)}"),
    };

    /// <summary>Python-style truthiness as the reference computes it: empty strings, lists and dicts, 0, None and undefined are false.</summary>
    public static bool IsTruthy(object? v) => v switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        JinjaDict dict => dict.Count > 0,
        _ => true,
    };

    /// <summary>How <c>{{ v }}</c> prints v: floats keep ".0", booleans are lower-case, lists and dicts as JSON.</summary>
    public static string Display(object? v) => v switch
    {
        null or JinjaUndefined => "",
        double d when d == 0 && double.IsNegative(d) => "-0.0",
        double d when Math.Floor(d) == d && Math.Abs(d) < 1e21 => ((decimal)d).ToString("0.0", CultureInfo.InvariantCulture),
        List<object?> or JinjaDict or JinjaNamespace => JinjaJson.Serialize(v, new JinjaJsonOptions(), undefinedAsNull: false),
        _ => Raw(v),
    };

    /// <summary>JavaScript's <c>value.toString()</c> of the underlying value, which <c>~</c> and string <c>+</c> use.</summary>
    public static string Raw(object? v) => v switch
    {
        null => "null",
        JinjaUndefined => "undefined",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => JsText.Number(d),
        string s => s,
        List<object?> list => string.Join(",", list.Select(x => x is null or JinjaUndefined ? "" : Raw(x))),
        JinjaDict or JinjaNamespace => "[object Map]",
        _ => "function",
    };

    /// <summary>JavaScript's <c>===</c> on the underlying values (membership in lists, <c>unique</c>).</summary>
    public static bool StrictEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (JinjaUndefined, JinjaUndefined) => true,
        (long or double, long or double) => ToDouble(a) == ToDouble(b),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        _ => ReferenceEquals(a, b),
    };

    /// <summary>JavaScript's <c>==</c> on the underlying values, which the reference's <c>==</c> and <c>!=</c> use.</summary>
    public static bool LooseEquals(object? a, object? b)
    {
        if (a is null or JinjaUndefined || b is null or JinjaUndefined) return a is null or JinjaUndefined && b is null or JinjaUndefined;
        if (IsNumericLike(a) && IsNumericLike(b)) return ToDouble(a) == ToDouble(b);
        if (a is string sa && b is string sb) return string.Equals(sa, sb, StringComparison.Ordinal);
        if (a is string s1 && IsNumericLike(b)) return StringToNumber(s1) == ToDouble(b);
        if (b is string s2 && IsNumericLike(a)) return StringToNumber(s2) == ToDouble(a);
        return ReferenceEquals(a, b);
    }

    private static double StringToNumber(string s)
    {
        var t = JsText.Trim(s);
        if (t.Length == 0) return 0;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
    }

    /// <summary>Ordering for <c>sort</c> and <c>dictsort</c>: numbers (and booleans) by value, strings optionally ignoring case.</summary>
    public static int Compare(object? a, object? b, bool caseSensitive)
    {
        if (a is null && b is null) return 0;
        if (a is null || b is null) throw new JinjaException($"Cannot compare {TypeName(a)} with {TypeName(b)}");
        if (a is JinjaUndefined && b is JinjaUndefined) return 0;
        if (a is JinjaUndefined || b is JinjaUndefined) throw new JinjaException($"Cannot compare {TypeName(a)} with {TypeName(b)}");
        if (IsNumericLike(a) && IsNumericLike(b)) return ToDouble(a).CompareTo(ToDouble(b));
        if (a is string x && b is string y)
        {
            if (!caseSensitive)
            {
                x = x.ToLowerInvariant();
                y = y.ToLowerInvariant();
            }
            return Math.Sign(string.CompareOrdinal(x, y));
        }
        throw new JinjaException($"Cannot compare different types: {TypeName(a)} and {TypeName(b)}");
    }

    public static string TypeName(object? v) => v switch
    {
        null => "NullValue",
        JinjaUndefined => "UndefinedValue",
        bool => "BooleanValue",
        long => "IntegerValue",
        double => "FloatValue",
        string => "StringValue",
        List<object?> => "ArrayValue",
        JinjaKeywordArguments => "KeywordArgumentsValue",
        JinjaDict => "ObjectValue",
        JinjaNamespace => "NamespaceValue",
        _ => "FunctionValue",
    };
}
