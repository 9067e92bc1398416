namespace Infra.Core.Text.Jinja;

/// <summary>
/// Attributes a value has beyond its own keys: string methods (<c>strip</c>, <c>split</c>, <c>startswith</c>, ...),
/// dict methods (<c>get</c>, <c>items</c>, <c>keys</c>, <c>values</c>, <c>dictsort</c>) and <c>length</c> of strings
/// and lists; null when the value has no such attribute.
/// </summary>
internal static class JinjaBuiltins
{
    public static object? Get(object? value, string name) => value switch
    {
        string s => StringMember(s, name),
        List<object?> list => name == "length" ? (long)list.Count : null,
        JinjaDict dict => DictMember(dict, name),
        _ => null,
    };

    private static object? StringMember(string s, string name) => name switch
    {
        "upper" => Fn(_ => s.ToUpperInvariant()),
        "lower" => Fn(_ => s.ToLowerInvariant()),
        "strip" => Fn(_ => JsText.Trim(s)),
        "rstrip" => Fn(_ => JsText.TrimEnd(s)),
        "lstrip" => Fn(_ => JsText.TrimStart(s)),
        "title" => Fn(_ => JsText.TitleCase(s)),
        "capitalize" => Fn(_ => Capitalize(s)),
        "length" => (long)s.Length,
        "startswith" => Fn(args => Affix(s, args, "startswith", (x, p) => x.StartsWith(p, StringComparison.Ordinal))),
        "endswith" => Fn(args => Affix(s, args, "endswith", (x, p) => x.EndsWith(p, StringComparison.Ordinal))),
        "split" => Fn(args => Split(s, args)),
        "replace" => Fn(args => Replace(s, args)),
        _ => null,
    };

    // JavaScript's charAt(0).toUpperCase() + rest: the rest keeps its case.
    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static JinjaFunction Fn(Func<List<object?>, object?> body) => (args, _) => body(args);

    private static bool Affix(string s, List<object?> args, string name, Func<string, string, bool> test)
    {
        if (args.Count == 0) throw new JinjaException($"{name}() requires at least one argument");
        return args[0] switch
        {
            string p => test(s, p),
            List<object?> options => options.Any(o => o is string p ? test(s, p) : throw new JinjaException($"{name}() tuple elements must be strings")),
            _ => throw new JinjaException($"{name}() argument must be a string or tuple of strings"),
        };
    }

    private static List<object?> Split(string s, List<object?> args)
    {
        var sep = args.Count > 0 ? args[0] : null;
        var maxSplit = args.Count > 1 ? args[1] : -1L;
        if (sep is not (null or string)) throw new JinjaException("sep argument must be a string or null");
        if (maxSplit is not long max) throw new JinjaException("maxsplit argument must be a number");
        var result = new List<object?>();
        if (sep is null)
        {
            // Python's split(): runs of whitespace, leading whitespace ignored, the rest kept whole after maxsplit.
            var text = JsText.TrimStart(s);
            var i = 0;
            while (i < text.Length)
            {
                var start = i;
                while (i < text.Length && !JsText.IsWhitespace(text[i])) i++;
                if (max != -1 && result.Count >= max)
                {
                    result.Add(text[start..]);
                    break;
                }
                result.Add(text[start..i]);
                while (i < text.Length && JsText.IsWhitespace(text[i])) i++;
            }
            return result;
        }
        var separator = (string)sep;
        if (separator.Length == 0) throw new JinjaException("empty separator");
        var parts = s.Split(separator);
        if (max != -1 && parts.Length > max)
            parts = [.. parts.Take((int)max), string.Join(separator, parts.Skip((int)max))];
        result.AddRange(parts);
        return result;
    }

    public static string Replace(string s, List<object?> args)
    {
        if (args.Count < 2) throw new JinjaException("replace() requires at least two arguments");
        if (args[0] is not string oldValue || args[1] is not string newValue) throw new JinjaException("replace() arguments must be strings");
        object? count = args.Count > 2 ? (args[2] is JinjaKeywordArguments kw ? kw.GetValueOrDefault("count") : args[2]) : null;
        if (count is not (null or long)) throw new JinjaException("replace() count argument must be a number or null");
        var remaining = count is long c && c >= 0 ? c : long.MaxValue;
        if (remaining == 0) return s;
        if (oldValue.Length == 0)
        {
            // The reference replaces the empty match before each code point and at the end.
            var sb = new System.Text.StringBuilder();
            foreach (var cp in JsText.CodePoints(s))
            {
                if (remaining-- > 0) sb.Append(newValue);
                sb.Append(cp);
            }
            if (remaining > 0) sb.Append(newValue);
            return sb.ToString();
        }
        var result = new System.Text.StringBuilder();
        var at = 0;
        while (remaining > 0)
        {
            var found = s.IndexOf(oldValue, at, StringComparison.Ordinal);
            if (found < 0) break;
            result.Append(s, at, found - at).Append(newValue);
            at = found + oldValue.Length;
            remaining--;
        }
        return result.Append(s, at, s.Length - at).ToString();
    }

    private static object? DictMember(JinjaDict dict, string name) => name switch
    {
        "get" => Fn(args =>
        {
            if (args.Count == 0 || args[0] is not string key) throw new JinjaException($"Object key must be a string: got {JinjaValues.TypeName(args.Count > 0 ? args[0] : JinjaUndefined.Value)}");
            return dict.TryGetValue(key, out var v) ? v : args.Count > 1 ? args[1] : null;
        }),
        "items" => Fn(_ => Items(dict)),
        "keys" => Fn(_ => dict.Keys.Cast<object?>().ToList()),
        "values" => Fn(_ => dict.Values.ToList()),
        "dictsort" => Fn(args => DictSort(dict, args)),
        _ => null,
    };

    public static List<object?> Items(JinjaDict dict) =>
        dict.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList();

    private static List<object?> DictSort(JinjaDict dict, List<object?> args)
    {
        var kwargs = args.OfType<JinjaKeywordArguments>().LastOrDefault() ?? new JinjaKeywordArguments([]);
        var positional = args.Where(a => a is not JinjaKeywordArguments).ToList();
        var caseSensitive = positional.ElementAtOrDefault(0) ?? kwargs.GetValueOrDefault("case_sensitive") ?? false;
        var by = positional.ElementAtOrDefault(1) ?? kwargs.GetValueOrDefault("by") ?? "key";
        var reverse = positional.ElementAtOrDefault(2) ?? kwargs.GetValueOrDefault("reverse") ?? false;
        if (caseSensitive is not bool cs) throw new JinjaException("case_sensitive must be a boolean");
        if (by is not ("key" or "value")) throw new JinjaException("by must be either 'key' or 'value'");
        if (reverse is not bool rev) throw new JinjaException("reverse must be a boolean");
        var index = (string)by == "key" ? 0 : 1;
        var items = Items(dict);
        // List.Sort is not stable and JavaScript's sort is; OrderBy is.
        return items.Order(Comparer<object?>.Create((a, b) =>
        {
            var r = JinjaValues.Compare(((List<object?>)a!)[index], ((List<object?>)b!)[index], cs);
            return rev ? -r : r;
        })).ToList();
    }
}
