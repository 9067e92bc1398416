using System.Text.Encodings.Web;
using System.Text.Json;

namespace Infra.Corpus;

/// <summary>
/// Writes records as JSONL (UTF-8, no BOM, "\n" after every line, fields in schema order, optional
/// fields only when present) so that the same records always give the same bytes.
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
        json.WriteNumber(CorpusFields.Difficulty, record.Difficulty);
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
        json.WriteEndObject();
    }
}
