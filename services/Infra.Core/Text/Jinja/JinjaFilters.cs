namespace Infra.Core.Text.Jinja;

/// <summary>
/// The <c>|</c> filters, dispatched on the operand's type exactly as the reference renderer does: a filter it does not
/// define for a type (<c>first</c> of a string, <c>count</c>, ...) is an error here too, so a template that works
/// here works there.
/// </summary>
internal static class JinjaFilters
{
    public static object? Apply(object? operand, JinjaNode filter, JinjaInterpreter interpreter, JinjaScope scope) => filter switch
    {
        IdentifierNode id => ApplyPlain(operand, id.Name),
        CallNode { Callee: IdentifierNode id } call => ApplyCall(operand, id.Name, call.Args, interpreter, scope),
        _ => throw new JinjaException("Unknown filter expression"),
    };

    private static JinjaException Unknown(object? operand, string name) =>
        new($"Unknown {JinjaValues.TypeName(operand)} filter: {name}");

    private static object? ApplyPlain(object? operand, string name)
    {
        if (name == "safe") return operand;
        if (name == "tojson") return JinjaJson.Serialize(operand, new JinjaJsonOptions());
        switch (operand)
        {
            case List<object?> list:
                return name switch
                {
                    "list" => list,
                    "first" => list.Count > 0 ? list[0] : JinjaUndefined.Value,
                    "last" => list.Count > 0 ? list[^1] : JinjaUndefined.Value,
                    "length" => (long)list.Count,
                    "reverse" => Enumerable.Reverse(list).ToList(),
                    "sort" => list.Order(Comparer<object?>.Create((a, b) => JinjaValues.Compare(a, b, caseSensitive: false))).ToList(),
                    "join" => string.Concat(list.Select(x => x is null or JinjaUndefined ? "" : JinjaValues.Raw(x))),
                    "string" => JinjaJson.Serialize(list, new JinjaJsonOptions(), undefinedAsNull: false),
                    "unique" => Unique(list),
                    _ => throw Unknown(operand, name),
                };
            case string s:
                return name switch
                {
                    "length" => (long)s.Length,
                    "upper" => s.ToUpperInvariant(),
                    "lower" => s.ToLowerInvariant(),
                    "title" => JsText.TitleCase(s),
                    "capitalize" => JinjaBuiltins.Capitalize(s),
                    "trim" => JsText.Trim(s),
                    "indent" => Indent(s, 4, first: false, blank: false),
                    "join" or "string" => s,
                    "int" => JsNumberParsing.ParseInt(s) is var i && double.IsNaN(i) ? 0L : (long)i,
                    "float" => JsNumberParsing.ParseFloat(s) is var f && double.IsNaN(f) ? 0.0 : f,
                    _ => throw Unknown(operand, name),
                };
            case long or double:
                return name switch
                {
                    "abs" => operand is long l ? (object)Math.Abs(l) : Math.Abs((double)operand),
                    "int" => operand is long l2 ? l2 : (long)Math.Floor((double)operand),
                    "float" => JinjaValues.ToDouble(operand),
                    "string" => JinjaValues.Display(operand),
                    _ => throw Unknown(operand, name),
                };
            case JinjaDict dict:
                return name switch
                {
                    "items" => JinjaBuiltins.Items(dict),
                    "length" => (long)dict.Count,
                    _ => JinjaBuiltins.Get(dict, name) switch
                    {
                        JinjaFunction fn => fn([], new JinjaScope(null)),
                        null => throw Unknown(operand, name),
                        var builtin => builtin,
                    },
                };
            case bool b:
                return name switch
                {
                    "bool" => b,
                    "int" => b ? 1L : 0L,
                    "float" => b ? 1.0 : 0.0,
                    "string" => b ? "true" : "false",
                    _ => throw Unknown(operand, name),
                };
            default:
                throw Unknown(operand, name);
        }
    }

    private static List<object?> Unique(List<object?> list)
    {
        var output = new List<object?>();
        foreach (var item in list)
        {
            if (!output.Any(seen => JinjaValues.StrictEquals(seen, item))) output.Add(item);
        }
        return output;
    }

    private static string Indent(string s, long width, bool first, bool blank)
    {
        var pad = new string(' ', (int)width);
        var lines = s.Split('\n');
        return string.Join("\n", lines.Select((x, i) => (!first && i == 0) || (!blank && x.Length == 0) ? x : pad + x));
    }

    private static object? Arg(List<object?> args, JinjaDict kwargs, int index, string name, object? fallback) =>
        index < args.Count ? args[index] : kwargs.TryGetValue(name, out var v) ? v : fallback;

    private static object? ApplyCall(object? operand, string name, IReadOnlyList<JinjaNode> argNodes, JinjaInterpreter interpreter, JinjaScope scope)
    {
        switch (name)
        {
            case "tojson":
            {
                var (_, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                var indent = kwargs.GetValueOrDefault("indent");
                if (indent is not (null or long)) throw new JinjaException("If set, indent must be a number");
                if ((kwargs.GetValueOrDefault("ensure_ascii") ?? false) is not bool ensureAscii) throw new JinjaException("If set, ensure_ascii must be a boolean");
                if ((kwargs.GetValueOrDefault("sort_keys") ?? false) is not bool sortKeys) throw new JinjaException("If set, sort_keys must be a boolean");
                string? itemSep = null, keySep = null;
                switch (kwargs.GetValueOrDefault("separators"))
                {
                    case null:
                        break;
                    case List<object?> { Count: 2 } seps when seps[0] is string i && seps[1] is string k:
                        (itemSep, keySep) = (i, k);
                        break;
                    default:
                        throw new JinjaException("separators must be a tuple of two strings");
                }
                return JinjaJson.Serialize(operand, new JinjaJsonOptions((int?)(long?)indent, ensureAscii, sortKeys, itemSep, keySep));
            }
            case "join":
            {
                var items = operand switch
                {
                    string s => JsText.CodePoints(s),
                    List<object?> list => list.Select(x => x is null or JinjaUndefined ? "" : JinjaValues.Raw(x)).ToList(),
                    _ => throw new JinjaException($"Cannot join {JinjaValues.TypeName(operand)}"),
                };
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                if (Arg(args, kwargs, 0, "separator", "") is not string separator) throw new JinjaException("separator must be a string");
                return string.Join(separator, items);
            }
            case "int" or "float":
            {
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                var fallback = Arg(args, kwargs, 0, "default", name == "int" ? 0L : 0.0);
                return operand switch
                {
                    string s when name == "int" => JsNumberParsing.ParseInt(s) is var i && double.IsNaN(i) ? fallback : (long)i,
                    string s => JsNumberParsing.ParseFloat(s) is var f && double.IsNaN(f) ? fallback : f,
                    long or double => operand,
                    bool b => name == "int" ? (object)(b ? 1L : 0L) : (b ? 1.0 : 0.0),
                    _ => throw new JinjaException($"Cannot apply filter \"{name}\" to type: {JinjaValues.TypeName(operand)}"),
                };
            }
            case "default":
            {
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                var fallback = args.Count > 0 ? args[0] : "";
                if ((args.Count > 1 ? args[1] : kwargs.GetValueOrDefault("boolean") ?? false) is not bool boolean)
                    throw new JinjaException("boolean must be a boolean");
                return operand is JinjaUndefined || (boolean && !JinjaValues.IsTruthy(operand)) ? fallback : operand;
            }
        }
        switch (operand)
        {
            case List<object?> list:
                return ListCall(list, name, argNodes, interpreter, scope);
            case string s when name == "indent":
            {
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                if (Arg(args, kwargs, 0, "width", 4L) is not long width) throw new JinjaException("width must be an integer");
                var first = JinjaValues.IsTruthy(Arg(args, kwargs, 1, "first", false));
                var blank = JinjaValues.IsTruthy(Arg(args, kwargs, 2, "blank", false));
                return Indent(s, width, first, blank);
            }
            case string s when name == "replace":
            {
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                args.Add(new JinjaKeywordArguments(kwargs));
                return JinjaBuiltins.Replace(s, args);
            }
            case JinjaDict dict when JinjaBuiltins.Get(dict, name) is JinjaFunction fn:
            {
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                if (kwargs.Count > 0) args.Add(new JinjaKeywordArguments(kwargs));
                return fn(args, scope);
            }
            default:
                throw Unknown(operand, name);
        }
    }

    private static List<object?> ListCall(List<object?> list, string name, IReadOnlyList<JinjaNode> argNodes, JinjaInterpreter interpreter, JinjaScope scope)
    {
        switch (name)
        {
            case "sort":
            {
                var (args, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                if (Arg(args, kwargs, 0, "reverse", false) is not bool reverse) throw new JinjaException("reverse must be a boolean");
                if (Arg(args, kwargs, 1, "case_sensitive", false) is not bool caseSensitive) throw new JinjaException("case_sensitive must be a boolean");
                var attribute = Arg(args, kwargs, 2, "attribute", null);
                if (attribute is not (null or string or long)) throw new JinjaException("attribute must be a string, integer, or null");
                object? Key(object? item) => attribute is null ? item : AttributePath(item, JinjaValues.Raw(attribute));
                return list.Order(Comparer<object?>.Create((a, b) =>
                {
                    var r = JinjaValues.Compare(Key(a), Key(b), caseSensitive);
                    return reverse ? -r : r;
                })).ToList();
            }
            case "selectattr" or "rejectattr":
            {
                if (list.Any(item => item is not (JinjaDict or JinjaNamespace))) throw new JinjaException($"`{name}` can only be applied to array of objects");
                if (argNodes.Any(x => x is not StringNode)) throw new JinjaException($"arguments of `{name}` must be strings");
                var args = argNodes.Select(x => ((StringNode)x).Value).ToList();
                var attr = args[0];
                var test = args.Count > 1 ? args[1] : null;
                if (test is not null && !JinjaTests.Exists(test)) throw new JinjaException($"Unknown test: {test}");
                object? value = args.Count > 2 ? args[2] : JinjaUndefined.Value;
                var select = name == "selectattr";
                return list.Where(item =>
                {
                    var container = item is JinjaDict d ? d : ((JinjaNamespace)item!).Values;
                    var result = container.TryGetValue(attr, out var a)
                        && (test is null ? JinjaValues.IsTruthy(a) : JinjaTests.Apply(test, a, value));
                    return select ? result : !result;
                }).ToList();
            }
            case "map":
            {
                var (_, kwargs) = interpreter.EvaluateArguments(argNodes, scope);
                if (!kwargs.TryGetValue("attribute", out var attr)) throw new JinjaException("`map` expressions without `attribute` set are not currently supported.");
                if (attr is not string path) throw new JinjaException("attribute must be a string");
                var fallback = kwargs.TryGetValue("default", out var d) ? d : JinjaUndefined.Value;
                return list.Select(item =>
                {
                    if (item is not (JinjaDict or JinjaNamespace)) throw new JinjaException("items in map must be an object");
                    var v = AttributePath(item, path);
                    return v is JinjaUndefined ? fallback : v;
                }).ToList();
            }
            default:
                throw Unknown(list, name);
        }
    }

    // The reference's dotted attribute lookup for sort and map: keys of mappings, integer indices of lists.
    private static object? AttributePath(object? item, string path)
    {
        var value = item;
        foreach (var part in path.Split('.'))
        {
            switch (value)
            {
                case JinjaDict d:
                    value = d.TryGetValue(part, out var v) ? v : JinjaUndefined.Value;
                    break;
                case JinjaNamespace ns:
                    value = ns.Values.TryGetValue(part, out var n) ? n : JinjaUndefined.Value;
                    break;
                case List<object?> list when JsNumberParsing.ParseInt(part) is var i && !double.IsNaN(i) && i >= 0 && i < list.Count:
                    value = list[(int)i];
                    break;
                default:
                    return JinjaUndefined.Value;
            }
        }
        return value;
    }
}
