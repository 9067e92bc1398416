using System.Globalization;
using System.Text.Json;

namespace Infra.Corpus;

/// <summary>
/// Reads and validates a corpus JSONL, one record per line. Every line is either a record or at
/// least one line-numbered error (invalid JSON, not an object, missing or empty required field,
/// wrong type, unknown domain, difficulty out of range, duplicate id, malformed messages or tags,
/// empty line); reading continues past errors so a user sees them all at once (up to
/// <see cref="CorpusReaderOptions.MaxErrors"/>).
/// </summary>
public static class CorpusReader
{
    /// <summary>Reads the file at <paramref name="path"/> (UTF-8).</summary>
    public static CorpusReadResult ReadFile(string path, CorpusReaderOptions? options = null)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        return Read(reader, options);
    }

    /// <summary>Reads every line of <paramref name="reader"/>.</summary>
    public static CorpusReadResult Read(TextReader reader, CorpusReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var maxErrors = (options ?? CorpusReaderOptions.Default).MaxErrors;
        var records = new List<CorpusRecord>();
        var errors = new List<CorpusError>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var errorCount = 0;
        var invalidLines = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var lineErrors = new List<string>();
            var record = Parse(line, lineErrors);
            if (record is not null && firstLineOfId.TryGetValue(record.Id, out var first))
            {
                lineErrors.Add($"duplicate id '{record.Id}' (first used on line {first.ToString(CultureInfo.InvariantCulture)})");
            }
            if (lineErrors.Count == 0 && record is not null)
            {
                firstLineOfId[record.Id] = lineNumber;
                records.Add(record);
                continue;
            }
            invalidLines++;
            foreach (var message in lineErrors)
            {
                errorCount++;
                if (errors.Count < maxErrors)
                {
                    errors.Add(new CorpusError(lineNumber, message));
                }
            }
        }
        return new CorpusReadResult(records, errors, errorCount, invalidLines, lineNumber);
    }

    private static CorpusRecord? Parse(string line, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            errors.Add("empty line (every line must be one JSON object)");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException error)
        {
            errors.Add($"invalid JSON: {error.Message}");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"expected a JSON object but found {root.ValueKind.ToString().ToLowerInvariant()}");
                return null;
            }
            var id = RequiredString(root, CorpusFields.Id, errors);
            var domain = Domain(root, errors);
            var difficulty = Difficulty(root, errors);
            var prompt = RequiredString(root, CorpusFields.Prompt, errors);
            var response = RequiredString(root, CorpusFields.Response, errors);
            var messages = Messages(root, errors);
            var tags = Tags(root, errors);
            var answer = Answer(root, errors);
            if (errors.Count > 0)
            {
                return null;
            }
            return new CorpusRecord(id!, CorpusFields.DomainName(domain!.Value), difficulty!.Value, prompt!, response!)
            {
                Messages = messages,
                Tags = tags,
                Answer = answer,
            };
        }
    }

    private static string? RequiredString(JsonElement root, string name, List<string> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"missing required field '{name}'");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"field '{name}' must be a string but is {value.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }
        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"required field '{name}' is empty");
            return null;
        }
        return text;
    }

    private static ReasoningDomain? Domain(JsonElement root, List<string> errors)
    {
        var text = RequiredString(root, CorpusFields.Domain, errors);
        switch (text)
        {
            case null:
                return null;
            case CorpusFields.Math:
                return ReasoningDomain.Math;
            case CorpusFields.Code:
                return ReasoningDomain.Code;
            default:
                errors.Add($"unknown domain '{text}' (expected \"math\" or \"code\")");
                return null;
        }
    }

    private static int? Difficulty(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty(CorpusFields.Difficulty, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"missing required field '{CorpusFields.Difficulty}'");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var level))
        {
            errors.Add($"field '{CorpusFields.Difficulty}' must be an integer but is {value.GetRawText()}");
            return null;
        }
        if (level is < CorpusFields.MinDifficulty or > CorpusFields.MaxDifficulty)
        {
            errors.Add($"difficulty {level.ToString(CultureInfo.InvariantCulture)} is out of range 1-5");
            return null;
        }
        return (int)level;
    }

    private static List<ChatMessage>? Messages(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty(CorpusFields.Messages, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("field 'messages' must be a list of {\"role\", \"content\"} objects");
            return null;
        }
        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(role.GetString())
                && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                messages.Add(new ChatMessage(role.GetString()!, content.GetString()!));
            }
            else
            {
                errors.Add($"messages[{index.ToString(CultureInfo.InvariantCulture)}] must be an object with string 'role' and 'content'");
            }
            index++;
        }
        return messages;
    }

    private static JsonElement? Tags(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty(CorpusFields.Tags, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            errors.Add($"field 'tags' must be a JSON object or list but is {value.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }
        return value.Clone(); // the document is disposed when the line is done
    }

    private static string? Answer(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty(CorpusFields.Answer, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetRawText(); // 42 and "42" mean the same answer
            default:
                errors.Add($"field 'answer' must be a string or number but is {value.ValueKind.ToString().ToLowerInvariant()}");
                return null;
        }
    }
}
