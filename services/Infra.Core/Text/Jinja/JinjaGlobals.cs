using System.Globalization;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// The names every template sees, as the reference's <c>setupGlobals</c>: <c>true</c>/<c>false</c>/<c>none</c> and
/// their Python spellings, <c>namespace</c>, <c>range</c>, <c>raise_exception</c> and <c>strftime_now</c> (local time,
/// English month names).
/// </summary>
internal static class JinjaGlobals
{
    public static void AddTo(JinjaScope scope, Func<DateTime> clock)
    {
        scope.Set("false", false);
        scope.Set("true", true);
        scope.Set("none", null);
        scope.Set("False", false);
        scope.Set("True", true);
        scope.Set("None", null);
        scope.Set("namespace", new JinjaFunction((args, _) => Namespace(args)));
        scope.Set("raise_exception", new JinjaFunction((args, _) =>
            throw new JinjaException(args.Count > 0 ? JinjaValues.Raw(args[0]) : "undefined", raisedByTemplate: true)));
        scope.Set("range", new JinjaFunction((args, _) => Range(args)));
        scope.Set("strftime_now", new JinjaFunction((args, _) =>
            Strftime(clock(), args.Count > 0 && args[0] is string f ? f : throw new JinjaException("strftime_now expects a format string"))));
    }

    private static JinjaNamespace Namespace(List<object?> args)
    {
        var positional = args.ToList();
        JinjaKeywordArguments? kwargs = null;
        if (positional.Count > 0 && positional[^1] is JinjaKeywordArguments kw)
        {
            kwargs = kw;
            positional.RemoveAt(positional.Count - 1);
        }
        if (positional.Count > 1) throw new JinjaException($"namespace expected at most 1 argument, got {positional.Count}");
        var ns = new JinjaNamespace();
        if (positional.Count == 1)
        {
            switch (positional[0])
            {
                case JinjaDict source:
                    foreach (var (k, v) in source) ns.Values[k] = v;
                    break;
                case List<object?> pairs:
                    foreach (var pair in pairs)
                    {
                        if (pair is not List<object?> { Count: 2 } kv || kv[0] is not string key)
                            throw new JinjaException("namespace expected an object or an iterable of [key, value] pairs");
                        ns.Values[key] = kv[1];
                    }
                    break;
                default:
                    throw new JinjaException($"'{JinjaValues.TypeName(positional[0])}' object is not iterable");
            }
        }
        if (kwargs is not null)
        {
            foreach (var (k, v) in kwargs) ns.Values[k] = v;
        }
        return ns;
    }

    private static List<object?> Range(List<object?> args)
    {
        var numbers = args.Select(JinjaValues.ToDouble).ToList();
        var (start, stop) = numbers.Count == 1 ? (0.0, numbers[0]) : (numbers[0], numbers[1]);
        var step = numbers.Count > 2 ? numbers[2] : 1;
        if (step == 0) throw new JinjaException("range() step must not be zero");
        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
            result.Add(JinjaValues.From(i));
        return result;
    }

    // The reference supports %Y %m %d %b %B %H %M and %%; anything else is left as written.
    internal static string Strftime(DateTime t, string format)
    {
        var culture = CultureInfo.GetCultureInfo("en-US");
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var token = format[i + 1];
            var replacement = token switch
            {
                'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
                'm' => t.Month.ToString("00", CultureInfo.InvariantCulture),
                'd' => t.Day.ToString("00", CultureInfo.InvariantCulture),
                'b' => t.ToString("MMM", culture),
                'B' => t.ToString("MMMM", culture),
                'H' => t.Hour.ToString("00", CultureInfo.InvariantCulture),
                'M' => t.Minute.ToString("00", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => null,
            };
            if (replacement is null)
            {
                sb.Append('%');
                continue;
            }
            sb.Append(replacement);
            i++;
        }
        return sb.ToString();
    }
}
