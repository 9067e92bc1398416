using System.Globalization;
using System.Text;

namespace Infra.Lab.Interpreter;

/// <summary>
/// Python semantics for the runtime values: long, bool, string, List&lt;object?&gt;, RangeValue,
/// FunctionValue and null (None). Bools take part in arithmetic as 0/1, as in Python.
/// </summary>
internal static class PyValues
{
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        string => "str",
        List<object?> => "list",
        RangeValue => "range",
        FunctionValue => "function",
        _ => value.GetType().Name,
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long n => n != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        RangeValue range => range.Count > 0,
        _ => true,
    };

    public static bool IsInt(object? value) => value is long or bool;

    public static long AsInt(object? value) => value switch
    {
        long n => n,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("not an int"),
    };

    public static string Str(object? value) => value is string s ? s : Repr(value);

    public static string Repr(object? value)
    {
        var text = new StringBuilder();
        AppendRepr(text, value);
        return text.ToString();
    }

    private static void AppendRepr(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("None");
                break;
            case bool b:
                text.Append(b ? "True" : "False");
                break;
            case long n:
                text.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case string s:
                // Python prefers single quotes unless the string contains one and no double quote.
                var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
                text.Append(quote);
                foreach (var c in s)
                {
                    text.Append(c switch
                    {
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\t' => "\\t",
                        _ when c == quote => "\\" + c,
                        _ => c.ToString(),
                    });
                }
                text.Append(quote);
                break;
            case List<object?> list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }
                    AppendRepr(text, list[i]);
                }
                text.Append(']');
                break;
            case RangeValue range:
                text.Append(CultureInfo.InvariantCulture, $"range({range.Start}, {range.Stop}");
                text.Append(range.Step == 1 ? ")" : string.Create(CultureInfo.InvariantCulture, $", {range.Step})"));
                break;
            case FunctionValue function:
                text.Append("<function ").Append(function.Definition.Name).Append('>');
                break;
            default:
                text.Append(value);
                break;
        }
    }

    public static bool AreEqual(object? left, object? right)
    {
        if (IsInt(left) && IsInt(right))
        {
            return AsInt(left) == AsInt(right);
        }
        return (left, right) switch
        {
            (null, null) => true,
            (string a, string b) => a == b,
            (List<object?> a, List<object?> b) => a.Count == b.Count && a.Zip(b).All(pair => AreEqual(pair.First, pair.Second)),
            (RangeValue a, RangeValue b) => a == b,
            _ => ReferenceEquals(left, right),
        };
    }

    /// <summary>Ordering for &lt; and friends, min/max and sorted; null when the types cannot be ordered.</summary>
    public static int? Compare(object? left, object? right)
    {
        if (IsInt(left) && IsInt(right))
        {
            return AsInt(left).CompareTo(AsInt(right));
        }
        switch (left, right)
        {
            case (string a, string b):
                return Math.Sign(string.CompareOrdinal(a, b));
            case (List<object?> a, List<object?> b):
                for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                {
                    if (!AreEqual(a[i], b[i]))
                    {
                        return Compare(a[i], b[i]);
                    }
                }
                return a.Count.CompareTo(b.Count);
            default:
                return null;
        }
    }
}
