namespace Infra.Core.Text.Jinja;

/// <summary>
/// Binary and unary operators (after <c>and</c>/<c>or</c>, which short-circuit in the interpreter), with the reference
/// renderer's type rules: JavaScript equality for <c>==</c>, errors for arithmetic on None or undefined, integer
/// results only from integer operands.
/// </summary>
internal static class JinjaOperators
{
    public static object? Binary(string op, object? left, object? right)
    {
        switch (op)
        {
            case "==": return JinjaValues.LooseEquals(left, right);
            case "!=": return !JinjaValues.LooseEquals(left, right);
        }
        if (left is JinjaUndefined || right is JinjaUndefined)
        {
            // `x in undefined` is false rather than an error, as in the reference.
            if (right is JinjaUndefined && op is "in" or "not in") return op == "not in";
            throw new JinjaException($"Cannot perform operation {op} on undefined values");
        }
        if (left is null || right is null) throw new JinjaException("Cannot perform operation on null values");
        if (op == "~") return JinjaValues.Raw(left) + JinjaValues.Raw(right);
        if (op == "**" && JinjaValues.IsNumericLike(left) && JinjaValues.IsNumericLike(right)) return Power(left, right);
        if (JinjaValues.IsNumber(left) && JinjaValues.IsNumber(right))
        {
            if (Arithmetic(op, left, right) is { } result) return result;
        }
        else if (left is List<object?> a && right is List<object?> b)
        {
            if (op == "+") return a.Concat(b).ToList();
        }
        else if (right is List<object?> list)
        {
            var member = list.Any(x => JinjaValues.StrictEquals(x, left));
            if (op == "in") return member;
            if (op == "not in") return !member;
        }
        if ((left is string || right is string) && op == "+") return JinjaValues.Raw(left) + JinjaValues.Raw(right);
        if (left is string needle && right is string haystack && op is "in" or "not in")
            return haystack.Contains(needle, StringComparison.Ordinal) == (op == "in");
        if (left is string key && right is JinjaDict dict && op is "in" or "not in")
            return dict.ContainsKey(key) == (op == "in");
        throw new JinjaException($"Unknown operator \"{op}\" between {JinjaValues.TypeName(left)} and {JinjaValues.TypeName(right)}");
    }

    private static object? Arithmetic(string op, object left, object right)
    {
        var isFloat = left is double || right is double;
        var a = JinjaValues.ToDouble(left);
        var b = JinjaValues.ToDouble(right);
        object Number(double v) => isFloat ? v : (object)(long)v;
        return op switch
        {
            "+" when !isFloat => (long)left + (long)right,
            "-" when !isFloat => (long)left - (long)right,
            "*" when !isFloat => (long)left * (long)right,
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => a / b,
            "//" => Number(Math.Floor(a / b)),
            // JavaScript's % keeps the dividend's sign (Python's would take the divisor's).
            "%" => isFloat || (long)right == 0 ? a % b : (object)((long)left % (long)right),
            "<" => a < b,
            ">" => a > b,
            ">=" => a >= b,
            "<=" => a <= b,
            _ => null,
        };
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Returns a boxed long or a boxed double; the template's type depends on which.")]
    private static object Power(object left, object right)
    {
        var a = JinjaValues.ToDouble(left);
        var b = JinjaValues.ToDouble(right);
        if (a == 0 && b < 0) throw new JinjaException("0.0 cannot be raised to a negative power");
        var result = Math.Pow(a, b);
        if (!double.IsFinite(result)) throw new JinjaException("Exponentiation result is not a finite real number");
        // Integer operands give an integer unless the exponent is negative.
        if (left is double || right is double || b < 0) return result;
        return (long)result;
    }

    public static object? Unary(string op, object? argument)
    {
        switch (op)
        {
            case "not":
                return !JinjaValues.IsTruthy(argument);
            case "+" or "-":
                var sign = op == "-" ? -1 : 1;
                return argument switch
                {
                    double d => (object)(sign * d),
                    long l => (object)(sign * l),
                    bool b => (object)(sign * (b ? 1L : 0L)),
                    _ => throw new JinjaException($"Unknown operator \"{op}\" for {JinjaValues.TypeName(argument)}"),
                };
            default:
                throw new JinjaException($"Unknown operator: {op}");
        }
    }
}
