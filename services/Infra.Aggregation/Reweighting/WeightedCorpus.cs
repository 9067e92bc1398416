using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Infra.Aggregation.Exports;
using Infra.Core.Errors;
using Infra.Core.Metadata;
using Infra.Corpus;

namespace Infra.Aggregation.Reweighting;

/// <summary>
/// Writes a corpus with a weight per example. JSONL: every line of the input corpus is copied with
/// all its fields, in their order and with their values as written (unknown fields included), and a
/// "weight" number appended (an existing "weight" field is replaced). Parquet: one row per record
/// with columns id, domain, difficulty (null when unlabelled), prompt, response (both left out when every record is a
/// conversation, so the file reads back in the messages layout), answer, messages (JSON text), tags (JSON text), the
/// metadata columns and weight; fields outside the corpus schema and metadata are in the JSONL only.
/// </summary>
public static class WeightedCorpus
{
    /// <summary>The field/column the weight goes in: "weight".</summary>
    public const string WeightField = "weight";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Weights by id, for the writers.</summary>
    public static IReadOnlyDictionary<string, double> ById(IEnumerable<WeightedExample> weighted)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        return weighted.ToDictionary(item => item.Example.Id, item => item.Weight, StringComparer.Ordinal);
    }

    /// <summary>
    /// Copies <paramref name="corpus"/> (JSONL) to <paramref name="output"/> with a weight per line.
    /// Empty lines are skipped; every record must have a weight and every weight a record.
    /// </summary>
    /// <exception cref="InvalidDataException">A line that is not a JSON object with a string "id", an id without a weight, or a weight without a record.</exception>
    public static void WriteJsonl(TextReader corpus, IReadOnlyDictionary<string, double> weights, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var written = 0;
        foreach (var (line, id, root) in Lines(corpus))
        {
            using (root)
            {
                if (!weights.TryGetValue(id, out var weight))
                {
                    throw DomainException.InvalidArgument($"line {line.ToString(CultureInfo.InvariantCulture)}: no weight for example '{id}'");
                }
                WriteLine(output, root.RootElement, prepend: null, append: writer => writer.WriteNumber(WeightField, weight), skipped: WeightField);
                written++;
            }
        }
        if (written != weights.Count)
        {
            throw DomainException.InvalidArgument($"{(weights.Count - written).ToString(CultureInfo.InvariantCulture)} weights have no record in the corpus");
        }
        output.Flush();
    }

    /// <summary>Writes <paramref name="records"/> with their weights as Parquet to <paramref name="stream"/> (left open).</summary>
    public static Task WriteParquetAsync(IEnumerable<CorpusRecord> records, IReadOnlyDictionary<string, double> weights, Stream stream, CancellationToken cancellationToken = default) =>
        ParquetTableWriter.WriteAsync(ToTable(records, weights), stream, cancellationToken);

    /// <summary>
    /// The Parquet table of <see cref="WriteParquetAsync"/>, named "weighted_corpus": the schema's fields, then one column
    /// per metadata name of any record (ordinal; typed by its values, text when they mix kinds; null where a record has
    /// none), then the weight.
    /// </summary>
    /// <exception cref="InvalidDataException">A record without a weight.</exception>
    public static ExportTable ToTable(IEnumerable<CorpusRecord> records, IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(weights);
        var list = records.ToList();
        // A conversation corpus (messages layout) is written without prompt/response columns, so it reads back as one:
        // with them, the reader would take the prompt/response layout and train only each conversation's last exchange.
        var conversations = list.Count > 0 && list.All(r => r.IsConversation);
        var metadata = list.SelectMany(r => r.Metadata).GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Type: MetadataColumnType(g.Select(p => p.Value.Kind).Distinct().ToList()))).ToList();
        var table = new ExportTable("weighted_corpus",
        [
            new(CorpusFields.Id, ColumnType.String),
            new(CorpusFields.Domain, ColumnType.String),
            new(CorpusFields.Difficulty, ColumnType.Int64),
            .. conversations ? Array.Empty<ExportColumn>() : [new(CorpusFields.Prompt, ColumnType.String), new(CorpusFields.Response, ColumnType.String)],
            new(CorpusFields.Answer, ColumnType.String),
            new(CorpusFields.Messages, ColumnType.String),
            new(CorpusFields.Tags, ColumnType.String),
            .. metadata.Select(c => new ExportColumn(c.Name, c.Type)),
            new(WeightField, ColumnType.Double),
        ]);
        foreach (var record in list)
        {
            if (!weights.TryGetValue(record.Id, out var weight))
            {
                throw DomainException.InvalidArgument($"no weight for example '{record.Id}'");
            }
            table.AddRow(
            [
                record.Id,
                record.Domain,
                // Null, not 0, for an unlabelled example: 0 is not a level, and the reader refuses it.
                record.Difficulty == DifficultyScheme.Unlabelled ? null : (long)record.Difficulty,
                .. conversations ? Array.Empty<object?>() : [record.Prompt, record.Response],
                record.Answer,
                record.Messages is { } messages ? JsonSerializer.Serialize(messages.Select(m => new Dictionary<string, string> { ["role"] = m.Role, ["content"] = m.Content })) : null,
                record.Tags is { } tags ? tags.GetRawText() : null,
                .. metadata.Select(c => record.Metadata.TryGetValue(c.Name, out var value) ? MetadataCell(value, c.Type) : null),
                weight,
            ]);
        }
        return table;
    }

    private static ColumnType MetadataColumnType(IReadOnlyList<MetadataKind> kinds) => kinds switch
    {
        [MetadataKind.Int] => ColumnType.Int64,
        [MetadataKind.Double] => ColumnType.Double,
        [MetadataKind.Bool] => ColumnType.Boolean,
        _ => ColumnType.String,
    };

    private static object? MetadataCell(MetadataValue value, ColumnType type) => type switch
    {
        ColumnType.Int64 => value.IntValue,
        ColumnType.Double => value.DoubleValue,
        ColumnType.Boolean => value.BoolValue,
        _ => value.ToString(),
    };

    /// <summary>The non-empty lines of a JSONL corpus, parsed, with their 1-based line numbers and ids.</summary>
    internal static IEnumerable<(int Line, string Id, JsonDocument Document)> Lines(TextReader corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var number = 0;
        while (corpus.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException error)
            {
                throw new DomainException(ErrorKind.InvalidArgument, $"line {number.ToString(CultureInfo.InvariantCulture)}: invalid JSON: {error.Message}", null, error);
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(CorpusFields.Id, out var id)
                || id.ValueKind != JsonValueKind.String)
            {
                document.Dispose();
                throw DomainException.InvalidArgument($"line {number.ToString(CultureInfo.InvariantCulture)}: expected a JSON object with a string \"id\"");
            }
            yield return (number, id.GetString()!, document);
        }
    }

    /// <summary>
    /// Writes one JSON object line: what <paramref name="prepend"/> writes, then <paramref name="root"/>'s
    /// properties as they were (except those named in <paramref name="skipped"/>), then what <paramref name="append"/> writes.
    /// </summary>
    internal static void WriteLine(TextWriter output, JsonElement root, Action<Utf8JsonWriter>? prepend, Action<Utf8JsonWriter> append, params string[] skipped)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            prepend?.Invoke(writer);
            foreach (var property in root.EnumerateObject())
            {
                if (skipped.Contains(property.Name))
                {
                    continue;
                }
                property.WriteTo(writer);
            }
            append(writer);
            writer.WriteEndObject();
        }
        output.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }
}
