using System.Text.Json;

namespace Infra.Corpus;

/// <summary>JSONL lines as <see cref="CorpusRow"/>s.</summary>
internal static class JsonRows
{
    /// <summary>Line <paramref name="number"/> as a row; blank lines, invalid JSON and non-objects are unreadable rows.</summary>
    public static CorpusRow Parse(int number, string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return CorpusRow.Unreadable(number, "empty line (every line must be one JSON object)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException error)
        {
            return CorpusRow.Unreadable(number, $"invalid JSON: {error.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return CorpusRow.Unreadable(number, $"expected a JSON object but found {root.ValueKind.ToString().ToLowerInvariant()}");
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (Value(property.Value) is { } value) values[property.Name] = value;
            }
            return new CorpusRow(number, values, []);
        }
    }

    /// <summary>
    /// A JSON value as a row value. A number is an integer when its text has no fraction or exponent and fits a long
    /// (so 3 stays an int and 3.0 a double, as the file wrote them); nested values are cloned because the document is disposed.
    /// </summary>
    public static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => IsInteger(value, out var integer) ? (object)integer : value.GetDouble(), // the cast keeps the long a long
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object or JsonValueKind.Array => value.Clone(),
        _ => null,
    };

    private static bool IsInteger(JsonElement value, out long integer)
    {
        integer = 0;
        return value.GetRawText().AsSpan().IndexOfAny(".eE") < 0 && value.TryGetInt64(out integer);
    }
}
