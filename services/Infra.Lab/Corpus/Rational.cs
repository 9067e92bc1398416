using System.Globalization;

namespace Infra.Lab.Corpus;

/// <summary>
/// An exact fraction in lowest terms with a positive denominator, so that equal values compare
/// equal field by field. Arithmetic is checked: overflow throws rather than wrapping.
/// </summary>
public readonly record struct Rational
{
    public Rational(long numerator, long denominator = 1)
    {
        if (denominator == 0)
        {
            throw new DivideByZeroException("a fraction's denominator cannot be zero");
        }
        var divisor = Gcd(Math.Abs(numerator), Math.Abs(denominator));
        var sign = denominator < 0 ? -1 : 1;
        Numerator = checked(sign * numerator / divisor);
        Denominator = checked(sign * denominator / divisor);
    }

    public long Numerator { get; }

    /// <summary>Always positive; 1 for integers.</summary>
    public long Denominator { get; }

    public bool IsInteger => Denominator == 1;

    public static Rational operator +(Rational a, Rational b) =>
        new(checked((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator)), checked(a.Denominator * b.Denominator));

    public static Rational operator -(Rational a, Rational b) =>
        new(checked((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator)), checked(a.Denominator * b.Denominator));

    public static Rational operator *(Rational a, Rational b) =>
        new(checked(a.Numerator * b.Numerator), checked(a.Denominator * b.Denominator));

    public static Rational operator /(Rational a, Rational b) =>
        new(checked(a.Numerator * b.Denominator), checked(a.Denominator * b.Numerator));

    public static implicit operator Rational(long value) => new(value);

    public static Rational Add(Rational a, Rational b) => a + b;

    public static Rational Subtract(Rational a, Rational b) => a - b;

    public static Rational Multiply(Rational a, Rational b) => a * b;

    public static Rational Divide(Rational a, Rational b) => a / b;

    public static Rational FromInt64(long value) => new(value);

    /// <summary>The larger of |numerator| and denominator: the size of the numbers a reader handles.</summary>
    public long Magnitude => Math.Max(Math.Abs(Numerator), Denominator);

    /// <summary>Parses "7", "-3", "3/4", "-6/8" (reduced on parse); whitespace around parts is allowed.</summary>
    public static bool TryParse(string? text, out Rational value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var parts = text.Split('/');
        if (parts.Length > 2
            || !long.TryParse(parts[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var numerator))
        {
            return false;
        }
        long denominator = 1;
        if (parts.Length == 2
            && (!long.TryParse(parts[1].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out denominator) || denominator == 0))
        {
            return false;
        }
        value = new Rational(numerator, denominator);
        return true;
    }

    /// <summary>"7", "-3" or "3/4", with the invariant culture's minus sign.</summary>
    public override string ToString() => IsInteger
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a == 0 ? 1 : a;
    }
}
