using System.Globalization;

namespace Infra.Lab.Interpreter;

/// <summary>The builtin functions (len, range, print, min, max, sum, abs, str, int, list, sorted) and list methods.</summary>
internal sealed partial class Evaluator
{
    private object? CallBuiltin(string name, List<object?> args, int line)
    {
        switch (name)
        {
            case "print":
                var text = string.Join(" ", args.Select(PyValues.Str));
                _output.Append(text).Append('\n');
                Record(TraceEventKind.Print, line, "", text);
                return null;
            case "len":
                Arity(name, args, 1, line);
                return args[0] switch
                {
                    string s => (long)s.Length,
                    List<object?> list => (long)list.Count,
                    RangeValue range => range.Count,
                    var other => throw new PythonException(PythonErrorKind.TypeError, line, $"object of type '{PyValues.TypeName(other)}' has no len()"),
                };
            case "range":
                return Range(args, line);
            case "abs":
                Arity(name, args, 1, line);
                var n = IntArg(name, args[0], line);
                return Checked(() => Math.Abs(n), line);
            case "min" or "max":
                return Extreme(name, args, line);
            case "sum":
                Arity(name, args, 1, line);
                object? total = 0L;
                foreach (var item in Iterate(args[0], line))
                {
                    total = Binary("+", total, item, line);
                }
                return total;
            case "str":
                Arity(name, args, 1, line);
                return PyValues.Str(args[0]);
            case "int":
                Arity(name, args, 1, line);
                return args[0] switch
                {
                    string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    string s => throw new PythonException(PythonErrorKind.ValueError, line, $"invalid literal for int(): {PyValues.Repr(s)}"),
                    var other => IntArg(name, other, line),
                };
            case "list":
                Arity(name, args, 1, line);
                return Iterate(args[0], line).ToList();
            case "sorted":
                Arity(name, args, 1, line);
                var items = Iterate(args[0], line).ToList();
                // Insertion sort: stable like Python's, and raises a clean TypeError on mixed types.
                for (var i = 1; i < items.Count; i++)
                {
                    var key = items[i];
                    var j = i - 1;
                    while (j >= 0 && Ordered(items[j], key, line) > 0)
                    {
                        items[j + 1] = items[j];
                        j--;
                    }
                    items[j + 1] = key;
                }
                return items;
            default:
                throw new PythonException(PythonErrorKind.NameError, line, $"name '{name}' is not defined");
        }
    }

    private static object? CallMethod(object? target, string method, List<object?> args, int line)
    {
        if (target is not List<object?> list)
        {
            throw new PythonException(PythonErrorKind.TypeError, line, $"'{PyValues.TypeName(target)}' object has no method '{method}'");
        }
        switch (method)
        {
            case "append":
                Arity(method, args, 1, line);
                if (list.Count >= MaxSequenceLength)
                {
                    throw new PythonException(PythonErrorKind.OverflowError, line, $"list longer than {MaxSequenceLength} elements");
                }
                list.Add(args[0]);
                return null;
            case "pop":
                if (args.Count > 1)
                {
                    throw new PythonException(PythonErrorKind.TypeError, line, $"pop() takes at most 1 argument ({args.Count} given)");
                }
                if (list.Count == 0)
                {
                    throw new PythonException(PythonErrorKind.IndexError, line, "pop from empty list");
                }
                var position = args.Count == 0 ? list.Count - 1 : Position(list.Count, args[0], line);
                var value = list[position];
                list.RemoveAt(position);
                return value;
            default:
                throw new PythonException(PythonErrorKind.TypeError, line, $"'list' object has no method '{method}'");
        }
    }

    private static void Arity(string name, List<object?> args, int count, int line)
    {
        if (args.Count != count)
        {
            throw new PythonException(PythonErrorKind.TypeError, line, $"{name}() takes {count} argument(s) but {args.Count} were given");
        }
    }

    private static long IntArg(string name, object? value, int line) => PyValues.IsInt(value)
        ? PyValues.AsInt(value)
        : throw new PythonException(PythonErrorKind.TypeError, line, $"{name}() expects an int, not '{PyValues.TypeName(value)}'");

    private static int Ordered(object? left, object? right, int line) => PyValues.Compare(left, right)
        ?? throw new PythonException(PythonErrorKind.TypeError, line, $"cannot compare '{PyValues.TypeName(left)}' and '{PyValues.TypeName(right)}'");

    private static RangeValue Range(List<object?> args, int line)
    {
        if (args.Count is < 1 or > 3)
        {
            throw new PythonException(PythonErrorKind.TypeError, line, $"range expected 1 to 3 arguments, got {args.Count}");
        }
        var values = args.Select(arg => IntArg("range", arg, line)).ToArray();
        var (start, stop, step) = values.Length switch
        {
            1 => (0L, values[0], 1L),
            2 => (values[0], values[1], 1L),
            _ => (values[0], values[1], values[2]),
        };
        if (step == 0)
        {
            throw new PythonException(PythonErrorKind.ValueError, line, "range() arg 3 must not be zero");
        }
        return new RangeValue(start, stop, step);
    }

    private static object? Extreme(string name, List<object?> args, int line)
    {
        var items = args.Count == 1 ? Iterate(args[0], line).ToList() : args;
        if (items.Count == 0)
        {
            throw new PythonException(PythonErrorKind.ValueError, line, $"{name}() arg is an empty sequence");
        }
        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            var order = Ordered(item, best, line);
            if (name == "min" ? order < 0 : order > 0)
            {
                best = item;
            }
        }
        return best;
    }
}
