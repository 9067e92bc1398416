using System.Text;

namespace Infra.Aggregation.Reports;

/// <summary>HTML escaping for the report: text and attribute values alike, so no token can become markup.</summary>
public static class HtmlText
{
    /// <summary>
    /// <paramref name="text"/> with &amp;, &lt;, &gt;, " and ' escaped; spaces, tabs and newlines are kept
    /// (the report shows them with white-space: pre-wrap). Other control characters, which HTML cannot
    /// carry, are shown as their escape, e.g. "\u0007".
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\n' or '\t' or '\r': sb.Append(c); break;
                case < ' ' or '\u007f': sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A token's text made visible for labels and tables: space as "␣", newline as "↵", tab as "→",
    /// carriage return as "␍", other control characters as their escape; the result is not HTML-escaped.
    /// </summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                ' ' => sb.Append('␣'),
                '\n' => sb.Append('↵'),
                '\t' => sb.Append('→'),
                '\r' => sb.Append('␍'),
                < ' ' or '\u007f' => sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }
        return sb.Length == 0 ? "(empty)" : sb.ToString();
    }

    /// <summary>A name made safe for ids and file names: lower-case letters, digits and '-'; "x" when nothing is left.</summary>
    public static string Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
                sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "x" : slug;
    }
}
