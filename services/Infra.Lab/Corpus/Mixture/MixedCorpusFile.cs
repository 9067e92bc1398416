using System.Text;
using System.Text.Json;
using Infra.Core.Metadata;
using Infra.Corpus;

namespace Infra.Lab.Corpus.Mixture;

/// <summary>
/// Writes a mixture in the problem/solution layout of public math corpora (MATH, NuminaMath): one JSON
/// object per line with id, domain, problem, solution and each metadata column as its own field; no
/// "difficulty" field, so the levels must be read through a column mapping, as a user's corpus must.
/// </summary>
public static class MixedCorpusFile
{
    /// <summary>The prompt column of the layout: "problem".</summary>
    public const string ProblemColumn = "problem";

    /// <summary>The response column of the layout: "solution".</summary>
    public const string SolutionColumn = "solution";

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/> (UTF-8, one line each, metadata columns in ordinal order).</summary>
    public static void Write(string path, IEnumerable<CorpusRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        foreach (var record in records)
        {
            file.Write(Line(record));
            file.Write('\n');
        }
    }

    /// <summary>One record as a line of the layout.</summary>
    public static string Line(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString(CorpusFields.Id, record.Id);
            json.WriteString(CorpusFields.Domain, record.Domain);
            json.WriteString(ProblemColumn, record.Prompt);
            json.WriteString(SolutionColumn, record.Response);
            foreach (var (name, value) in record.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                switch (value.Kind)
                {
                    case MetadataKind.String: json.WriteString(name, value.StringValue); break;
                    case MetadataKind.Int: json.WriteNumber(name, value.IntValue); break;
                    case MetadataKind.Double: json.WritePropertyName(name); json.WriteRawValue(DoubleText(record.Id, name, value.DoubleValue)); break;
                    default: json.WriteBoolean(name, value.BoolValue); break;
                }
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // A double keeps a decimal point (2.0, not 2) so the reader reads it back as a double, not an integer.
    private static string DoubleText(string id, string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"metadata '{name}' of '{id}' is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: JSON has no such number");
        }
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
