using System.Globalization;
using System.Text;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// JavaScript's string and number behaviour where it differs from .NET's, because the reference renderer is
/// JavaScript: its whitespace (<c>\s</c>, <c>trim</c>), its <c>\w</c> (ASCII only) and its number printing.
/// </summary>
internal static class JsText
{
    /// <summary>JavaScript's <c>\s</c> as a regex class (.NET's adds U+0085 and lacks U+FEFF).</summary>
    public const string WhitespaceClass = "[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";

    public static bool IsWhitespace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' or '\u2028' or '\u2029' or '\u202f'
            or '\u205f' or '\u3000' or '\ufeff' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    public static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static string Trim(string s) => TrimEnd(TrimStart(s));

    public static string TrimStart(string s)
    {
        var i = 0;
        while (i < s.Length && IsWhitespace(s[i])) i++;
        return s[i..];
    }

    public static string TrimEnd(string s)
    {
        var i = s.Length;
        while (i > 0 && IsWhitespace(s[i - 1])) i--;
        return s[..i];
    }

    /// <summary>JavaScript's <c>String(number)</c>: integers without a fraction, <c>1e+21</c> style exponents.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return "0";
        if (Math.Floor(value) == value && Math.Abs(value) < 1e21)
            return ((decimal)value).ToString(CultureInfo.InvariantCulture);
        var abs = Math.Abs(value);
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        if (abs >= 1e-6 && abs < 1e21)
        {
            // .NET prints 1E-05 style below 1e-4 sometimes; JavaScript stays positional down to 1e-6.
            return r.Contains('E', StringComparison.Ordinal) ? ((decimal)value).ToString(CultureInfo.InvariantCulture) : r;
        }
        var parts = r.Split('E');
        var exponent = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return $"{parts[0]}e{(exponent >= 0 ? "+" : "-")}{Math.Abs(exponent)}";
    }

    /// <summary>Upper-cases the first word character after a non-word one, as the reference's <c>/\b\w/g</c> title case.</summary>
    public static string TitleCase(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var atBoundary = IsWordChar(s[i]) && (i == 0 || !IsWordChar(s[i - 1]));
            sb.Append(atBoundary ? char.ToUpperInvariant(s[i]) : s[i]);
        }
        return sb.ToString();
    }

    /// <summary>The string's code points as strings (JavaScript's <c>Array.from(str)</c>).</summary>
    public static List<string> CodePoints(string s)
    {
        var result = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                result.Add(s[i].ToString());
            }
        }
        return result;
    }
}
