using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Infra.Core.Metadata;

namespace Infra.Corpus;

/// <summary>
/// Writes records as JSONL (UTF-8, no BOM, "\n" after every line, fields in schema order, optional
/// fields only when present, difficulty left out when unlabelled, then metadata columns by name) so that the same records always give the same bytes.
/// </summary>
public static class CorpusWriter
{
    // Relaxed escaping keeps code and quotes readable; the files are data, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/>, replacing the file.</summary>
    public static void WriteFile(string path, IEnumerable<CorpusRecord> records)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, records);
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="stream"/>, one per line.</summary>
    public static void Write(Stream stream, IEnumerable<CorpusRecord> records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            using (var json = new Utf8JsonWriter(stream, Options))
            {
                WriteRecord(json, record);
            }
            stream.WriteByte((byte)'\n');
        }
        stream.Flush();
    }

    private static void WriteRecord(Utf8JsonWriter json, CorpusRecord record)
    {
        json.WriteStartObject();
        json.WriteString(CorpusFields.Id, record.Id);
        json.WriteString(CorpusFields.Domain, record.Domain);
        if (record.Difficulty != DifficultyScheme.Unlabelled)
        {
            json.WriteNumber(CorpusFields.Difficulty, record.Difficulty); // absent reads back as unlabelled; 0 is not a level
        }
        json.WriteString(CorpusFields.Prompt, record.Prompt);
        json.WriteString(CorpusFields.Response, record.Response);
        if (record.Messages is { } messages)
        {
            json.WriteStartArray(CorpusFields.Messages);
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role);
                json.WriteString("content", message.Content);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (record.Tags is { } tags)
        {
            json.WritePropertyName(CorpusFields.Tags);
            tags.WriteTo(json);
        }
        if (record.Answer is { } answer)
        {
            json.WriteString(CorpusFields.Answer, answer);
        }
        foreach (var (name, value) in record.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Known.Contains(name)) throw new ArgumentException($"record '{record.Id}' has metadata column '{name}', a name the schema uses for its own field", nameof(record));
            json.WritePropertyName(name);
            WriteValue(json, value);
        }
        json.WriteEndObject();
    }

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        CorpusFields.Id, CorpusFields.Domain, CorpusFields.Difficulty, CorpusFields.Prompt, CorpusFields.Response,
        CorpusFields.Messages, CorpusFields.Tags, CorpusFields.Answer,
    };

    // Doubles always carry a fraction or exponent ("2.0", not "2") so they read back as doubles, not integers.
    private static void WriteValue(Utf8JsonWriter json, MetadataValue value)
    {
        switch (value.Kind)
        {
            case MetadataKind.String:
                json.WriteStringValue(value.StringValue);
                break;
            case MetadataKind.Int:
                json.WriteNumberValue(value.IntValue);
                break;
            case MetadataKind.Double:
                if (!double.IsFinite(value.DoubleValue)) throw new ArgumentException($"metadata value {value} is not a finite number and has no JSON form", nameof(value));
                var text = value.DoubleValue.ToString("R", CultureInfo.InvariantCulture);
                json.WriteRawValue(text.AsSpan().IndexOfAny(".eE") < 0 ? text + ".0" : text);
                break;
            default:
                json.WriteBooleanValue(value.BoolValue);
                break;
        }
    }
}
