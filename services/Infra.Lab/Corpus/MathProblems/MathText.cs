using System.Globalization;

namespace Infra.Lab.Corpus.MathProblems;

/// <summary>Invariant-culture rendering of numbers and operations, and the names used in word problems.</summary>
internal static class MathText
{
    public static readonly string[] Names =
    [
        "Maya", "Omar", "Lena", "Ravi", "Sofia", "Kenji", "Amara", "Lucas", "Priya", "Tomas",
        "Nadia", "Felix", "Zara", "Hugo", "Ines", "Malik", "Chloe", "Arjun", "Elena", "Kofi",
    ];

    public static string Format(Rational value) => value.ToString();

    public static string Operand(Rational value) => value.Numerator < 0 ? $"({value})" : value.ToString();

    public static string Expression(Rational left, char op, Rational right) =>
        op == '/' ? $"{Divided(left)} / {Divided(right)}" : $"{Operand(left)} {op} {Operand(right)}";

    // "13/16 / 11/12" would be ambiguous; fractions around a division sign get brackets.
    private static string Divided(Rational value) => value.IsInteger ? Operand(value) : $"({value})";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Rational Apply(Rational left, char op, Rational right) => op switch
    {
        '+' => left + right,
        '-' => left - right,
        '*' => left * right,
        '/' => left / right,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operation"),
    };

    public static string OperationName(char op) => op switch
    {
        '+' => "an addition",
        '-' => "a subtraction",
        '*' => "a multiplication",
        _ => "a division",
    };

    /// <summary>Writes a + b - c for signed terms: "60 + 6 - 4".</summary>
    public static string SignedSum(IReadOnlyList<Rational> terms)
    {
        var text = Format(terms[0]);
        foreach (var term in terms.Skip(1))
        {
            text += term.Numerator < 0 ? $" - {Format(new Rational(0) - term)}" : $" + {Format(term)}";
        }
        return text;
    }

    public static long Between(Random rng, long low, long high) => rng.NextInt64(low, high + 1);
}
