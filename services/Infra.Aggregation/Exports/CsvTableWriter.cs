using System.Globalization;
using System.Text;

namespace Infra.Aggregation.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> as CSV per RFC 4180: a header row, CRLF line ends, fields
/// quoted when they contain a comma, a double quote, CR or LF (quotes doubled inside), and numbers
/// in the invariant culture ("R" round-trip form for doubles, so reading back gives the same bits;
/// NaN and ±Infinity as "NaN", "Infinity", "-Infinity"). Null is an empty field; booleans are "true"/"false".
/// </summary>
public static class CsvTableWriter
{
    private const string LineEnd = "\r\n";

    /// <summary>Writes <paramref name="table"/> to the file at <paramref name="path"/> (UTF-8, no BOM), replacing it.</summary>
    public static void WriteFile(ExportTable table, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(table, writer);
    }

    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/>.</summary>
    public static void Write(ExportTable table, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Join(',', table.Columns.Select(column => Quote(column.Name))));
        writer.Write(LineEnd);
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                writer.Write(Format(row[i]));
            }
            writer.Write(LineEnd);
        }
        writer.Flush();
    }

    /// <summary>The CSV text of one value (quoted where RFC 4180 needs it).</summary>
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string text => Quote(text),
        long number => number.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => throw new ArgumentException($"unsupported value type {value.GetType().Name}", nameof(value)),
    };

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
