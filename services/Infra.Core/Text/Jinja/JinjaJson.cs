using System.Globalization;
using System.Text;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// The reference renderer's JSON writer (<c>tojson</c>, and how lists and dicts print): JavaScript's
/// <c>JSON.stringify</c> for scalars, Python's <c>json.dumps</c> layout for indentation and separators.
/// </summary>
internal static class JinjaJson
{
    public static string Serialize(object? value, JinjaJsonOptions options, bool undefinedAsNull = true, int depth = 0)
    {
        var itemSeparator = options.ItemSeparator ?? (options.Indent is > 0 ? "," : ", ");
        var keySeparator = options.KeySeparator ?? ": ";
        switch (value)
        {
            case null:
                return "null";
            case JinjaUndefined:
                return undefinedAsNull ? "null" : "undefined";
            case long or double or bool:
                return JinjaValues.Raw(value);
            case string s:
                return Quote(s, options.EnsureAscii);
            case List<object?> list:
            {
                var core = list.Select(x => Serialize(x, options, undefinedAsNull, depth + 1)).ToList();
                if (options.Indent is not > 0 || core.Count == 0) return $"[{string.Join(itemSeparator, core)}]";
                var (basePad, childPad) = Padding(options.Indent.Value, depth);
                return $"[{childPad}{string.Join(itemSeparator + childPad, core)}{basePad}]";
            }
            case JinjaDict or JinjaNamespace:
            {
                IEnumerable<KeyValuePair<string, object?>> entries = value is JinjaDict d ? d : ((JinjaNamespace)value).Values;
                if (options.SortKeys) entries = entries.OrderBy(e => e.Key, StringComparer.InvariantCulture);
                var indented = options.Indent is > 0;
                var (basePad, childPad) = indented ? Padding(options.Indent!.Value, depth) : ("", "");
                var core = entries.Select(e =>
                    $"{(indented ? childPad : "")}{Quote(e.Key, options.EnsureAscii)}{keySeparator}{Serialize(e.Value, options, undefinedAsNull, depth + 1)}").ToList();
                return indented && core.Count > 0 ? $"{{{string.Join(itemSeparator, core)}{basePad}}}" : $"{{{string.Join(itemSeparator, core)}}}";
            }
            default:
                throw new JinjaException($"Cannot convert to JSON: {JinjaValues.TypeName(value)}");
        }
    }

    private static (string Base, string Child) Padding(int indent, int depth)
    {
        var unit = new string(' ', indent);
        var basePad = "\n" + string.Concat(Enumerable.Repeat(unit, depth));
        return (basePad, basePad + unit);
    }

    // JSON.stringify's string escaping (lone surrogates escaped), then, with ensure_ascii, every code unit from U+007F
    // up as \uXXXX in lower-case hex, as the reference does.
    private static string Quote(string s, bool ensureAscii)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    var lone = (char.IsHighSurrogate(c) && !(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
                        || (char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(s[i - 1])));
                    if (c < 0x20 || lone || (ensureAscii && c >= 0x7f))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
