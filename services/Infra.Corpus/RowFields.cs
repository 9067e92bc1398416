using System.Globalization;
using System.Text.Json;

namespace Infra.Corpus;

/// <summary>The known fields of one row (text, messages, tags, answer), each bad value an error naming the field and what it holds.</summary>
internal static class RowFields
{
    /// <summary>A required non-blank string.</summary>
    public static string? RequiredText(CorpusRow row, string name, List<string> errors)
    {
        if (!row.Values.TryGetValue(name, out var value))
        {
            errors.Add($"missing required field '{name}'");
            return null;
        }
        if (value is not string text)
        {
            errors.Add($"field '{name}' must be a string but is {CorpusRow.KindOf(value)}");
            return null;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"required field '{name}' is empty");
            return null;
        }
        return text;
    }

    /// <summary>An optional string; null when absent, an error when not a string.</summary>
    public static string? OptionalText(CorpusRow row, string name, List<string> errors)
    {
        if (!row.Values.TryGetValue(name, out var value)) return null;
        if (value is string text) return text;
        errors.Add($"field '{name}' must be a string but is {CorpusRow.KindOf(value)}");
        return null;
    }

    /// <summary>The chat turns of column <paramref name="name"/>, or null when absent.</summary>
    public static List<ChatMessage>? Messages(CorpusRow row, string name, List<string> errors)
    {
        if (!row.Values.TryGetValue(name, out var value)) return null;
        // Parquet files often keep turns as JSON text (pandas, our own weighted corpus): text that is a JSON list is read as that list.
        if (value is string text && JsonText(text) is { } parsed) value = parsed;
        if (value is not JsonElement { ValueKind: JsonValueKind.Array } list)
        {
            errors.Add($"field '{name}' must be a list of {{\"role\", \"content\"}} objects (or that list as JSON text)");
            return null;
        }
        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"{name}[{index.ToString(CultureInfo.InvariantCulture)}]";
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(role.GetString())
                && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                messages.Add(new ChatMessage(role.GetString()!, content.GetString()!));
            }
            else if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.String
                && item.TryGetProperty("value", out var said) && said.ValueKind == JsonValueKind.String)
            {
                if (ShareGptRoles.Role(from.GetString()!) is { } mapped) messages.Add(new ChatMessage(mapped, said.GetString()!));
                else errors.Add($"{at}: unknown ShareGPT speaker '{from.GetString()}' (expected one of {string.Join(", ", ShareGptRoles.Speakers)})");
            }
            else
            {
                errors.Add($"{at} must be an object with string 'role' and 'content' (or ShareGPT's 'from' and 'value')");
            }
            index++;
        }
        return messages;
    }

    // A JSON list or object written as text; null for any other text.
    private static JsonElement? JsonText(string text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith('[') && !trimmed.StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null; // not JSON after all: refused below as not a list
        }
    }

    /// <summary>Free-form tags (a JSON object or list), or null when absent.</summary>
    public static JsonElement? Tags(CorpusRow row, List<string> errors)
    {
        if (!row.Values.TryGetValue(CorpusFields.Tags, out var value)) return null;
        if (value is string text && JsonText(text) is { } parsed) value = parsed;
        if (value is JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array } tags) return tags;
        errors.Add($"field 'tags' must be a JSON object or list but is {CorpusRow.KindOf(value)}");
        return null;
    }

    /// <summary>The final answer (a string, or a number written as its text: 42 and "42" mean the same answer), or null when absent.</summary>
    public static string? Answer(CorpusRow row, List<string> errors)
    {
        if (!row.Values.TryGetValue(CorpusFields.Answer, out var value)) return null;
        if (value is string or long or double) return value as string ?? CorpusRow.Quote(value);
        errors.Add($"field 'answer' must be a string or number but is {CorpusRow.KindOf(value)}");
        return null;
    }
}
