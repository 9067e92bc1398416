using System.Globalization;
using System.Text;
using System.Text.Json;
using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>
/// One example's metadata as the text of the shard metadata file's <c>metadata</c> column: a JSON object whose keys
/// are the column names (ordinal order) and whose values name their kind, e.g.
/// <c>{"rating":{"int":1200},"score":{"double":2},"source":{"string":"gsm8k"},"explores":{"bool":false}}</c>.
/// The kind is written out because JSON alone cannot tell an int from a double 2.0. Non-finite doubles are written as
/// the strings "NaN", "Infinity", "-Infinity". No metadata is the empty string (no JSON to parse per row).
/// </summary>
public static class MetadataRowCodec
{
    /// <summary>The column's text for <paramref name="values"/>; "" when empty.</summary>
    public static string Encode(IReadOnlyDictionary<string, MetadataValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return "";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(name);
                var kind = MetadataValue.KindName(value.Kind);
                switch (value.Kind)
                {
                    case MetadataKind.String: json.WriteString(kind, value.StringValue); break;
                    case MetadataKind.Int: json.WriteNumber(kind, value.IntValue); break;
                    case MetadataKind.Bool: json.WriteBoolean(kind, value.BoolValue); break;
                    default:
                        if (double.IsFinite(value.DoubleValue)) json.WriteNumber(kind, value.DoubleValue);
                        else json.WriteString(kind, value.DoubleValue.ToString(CultureInfo.InvariantCulture));
                        break;
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The metadata a column's text holds; <see cref="MetadataColumns.None"/> for "".</summary>
    /// <exception cref="InvalidDataException">Not what <see cref="Encode"/> writes.</exception>
    public static IReadOnlyDictionary<string, MetadataValue> Decode(string text)
    {
        if (string.IsNullOrEmpty(text)) return MetadataColumns.None;
        try
        {
            using var document = JsonDocument.Parse(text);
            var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
            foreach (var column in document.RootElement.EnumerateObject())
            {
                var kind = column.Value.EnumerateObject().Single();
                values[column.Name] = kind.Name switch
                {
                    "string" => MetadataValue.Of(kind.Value.GetString()!),
                    "int" => MetadataValue.Of(kind.Value.GetInt64()),
                    "double" => MetadataValue.Of(kind.Value.ValueKind == JsonValueKind.String
                        ? double.Parse(kind.Value.GetString()!, CultureInfo.InvariantCulture)
                        : kind.Value.GetDouble()),
                    "bool" => MetadataValue.Of(kind.Value.GetBoolean()),
                    _ => throw new InvalidDataException($"metadata column '{column.Name}' has unknown kind '{kind.Name}'"),
                };
            }
            return values;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"unreadable metadata '{text}': {ex.Message}", ex);
        }
    }
}
