namespace Infra.Lab.Interpreter;

/// <summary>Operators with Python's semantics on 64-bit integers (overflow is an error, not a wrap).</summary>
internal sealed partial class Evaluator
{
    // Caps list/string repetition so a program cannot ask for gigabytes in one expression.
    private const long MaxSequenceLength = 1_000_000;

    private static long Unary(string op, object? value, int line)
    {
        if (!PyValues.IsInt(value))
        {
            throw new PythonException(PythonErrorKind.TypeError, line, $"bad operand type for unary {op}: '{PyValues.TypeName(value)}'");
        }
        var n = PyValues.AsInt(value);
        return op == "-" ? Checked(() => checked(-n), line) : n;
    }

    private static object? Binary(string op, object? left, object? right, int line)
    {
        if (PyValues.IsInt(left) && PyValues.IsInt(right))
        {
            var a = PyValues.AsInt(left);
            var b = PyValues.AsInt(right);
            return op switch
            {
                "+" => Checked(() => checked(a + b), line),
                "-" => Checked(() => checked(a - b), line),
                "*" => Checked(() => checked(a * b), line),
                "//" => FloorDiv(a, b, line),
                "%" => FloorMod(a, b, line),
                "**" => Power(a, b, line),
                "/" => throw new PythonException(PythonErrorKind.TypeError, line, "'/' makes floats, which this language does not have; use '//'"),
                _ => throw new PythonException(PythonErrorKind.SyntaxError, line, $"unknown operator {op}"),
            };
        }
        switch (op, left, right)
        {
            case ("+", string a, string b):
                return a + b;
            case ("+", List<object?> a, List<object?> b):
                return a.Concat(b).ToList();
            case ("*", string s, _) when PyValues.IsInt(right):
                return string.Concat(Enumerable.Repeat(s, RepeatCount(s.Length, PyValues.AsInt(right), line)));
            case ("*", List<object?> list, _) when PyValues.IsInt(right):
                var times = RepeatCount(list.Count, PyValues.AsInt(right), line);
                return Enumerable.Range(0, times).SelectMany(_ => list).ToList();
            case ("*", _, string or List<object?>) when PyValues.IsInt(left):
                return Binary(op, right, left, line);
            default:
                throw new PythonException(PythonErrorKind.TypeError, line, $"unsupported operand type(s) for {op}: '{PyValues.TypeName(left)}' and '{PyValues.TypeName(right)}'");
        }
    }

    private static int RepeatCount(long length, long times, int line)
    {
        if (times <= 0)
        {
            return 0;
        }
        if (length > 0 && times > MaxSequenceLength / length)
        {
            throw new PythonException(PythonErrorKind.OverflowError, line, $"sequence longer than {MaxSequenceLength} elements");
        }
        return (int)times;
    }

    private static long Checked(Func<long> operation, int line)
    {
        try
        {
            return operation();
        }
        catch (OverflowException)
        {
            throw new PythonException(PythonErrorKind.OverflowError, line, "integer result does not fit in 64 bits");
        }
    }

    private static long FloorDiv(long a, long b, int line)
    {
        if (b == 0)
        {
            throw new PythonException(PythonErrorKind.ZeroDivisionError, line, "integer division or modulo by zero");
        }
        var q = Checked(() => a / b, line);
        // C# truncates toward zero; Python floors toward negative infinity.
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static long FloorMod(long a, long b, int line)
    {
        if (b == 0)
        {
            throw new PythonException(PythonErrorKind.ZeroDivisionError, line, "integer division or modulo by zero");
        }
        if (b == -1)
        {
            return 0; // long.MinValue % -1 throws in .NET; the answer is 0
        }
        var r = a % b;
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
    }

    private static long Power(long a, long b, int line)
    {
        if (b < 0)
        {
            throw new PythonException(PythonErrorKind.ValueError, line, "negative exponents make floats, which this language does not have");
        }
        switch (a)
        {
            case 0:
                return b == 0 ? 1 : 0;
            case 1:
                return 1;
            case -1:
                return b % 2 == 0 ? 1 : -1;
            default:
                // |a| >= 2 overflows within 64 multiplications, so the loop is short.
                long result = 1;
                for (long i = 0; i < b; i++)
                {
                    var factor = result;
                    result = Checked(() => checked(factor * a), line);
                }
                return result;
        }
    }

    private static bool Compare(string op, object? left, object? right, int line)
    {
        if (op is "==" or "!=")
        {
            return PyValues.AreEqual(left, right) == (op == "==");
        }
        var order = PyValues.Compare(left, right)
            ?? throw new PythonException(PythonErrorKind.TypeError, line, $"'{op}' not supported between instances of '{PyValues.TypeName(left)}' and '{PyValues.TypeName(right)}'");
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private static int Position(int count, object? key, int line)
    {
        if (!PyValues.IsInt(key))
        {
            throw new PythonException(PythonErrorKind.TypeError, line, $"indices must be integers, not '{PyValues.TypeName(key)}'");
        }
        var index = PyValues.AsInt(key);
        var position = index < 0 ? index + count : index;
        if (position < 0 || position >= count)
        {
            throw new PythonException(PythonErrorKind.IndexError, line, $"index {index} out of range for length {count}");
        }
        return (int)position;
    }

    private static object? Index(object? target, object? key, int line) => target switch
    {
        List<object?> list => list[Position(list.Count, key, line)],
        string s => s[Position(s.Length, key, line)].ToString(),
        RangeValue range => range[Position((int)Math.Min(range.Count, int.MaxValue), key, line)],
        _ => throw new PythonException(PythonErrorKind.TypeError, line, $"'{PyValues.TypeName(target)}' object is not subscriptable"),
    };

    private static IEnumerable<object?> Iterate(object? iterable, int line)
    {
        switch (iterable)
        {
            case RangeValue range:
                return IterateRange(range);
            case List<object?> list:
                // Python iterates a list live; a snapshot is simpler and the same unless the body appends.
                return list.ToArray();
            case string s:
                return s.Select(c => (object?)c.ToString());
            default:
                throw new PythonException(PythonErrorKind.TypeError, line, $"'{PyValues.TypeName(iterable)}' object is not iterable");
        }
    }

    private static IEnumerable<object?> IterateRange(RangeValue range)
    {
        for (long i = 0; i < range.Count; i++)
        {
            yield return range[i];
        }
    }
}
