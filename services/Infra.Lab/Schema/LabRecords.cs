using System.Text.Json;
using Infra.Lab.Corpus;

using Infra.Corpus;

namespace Infra.Lab.Schema;

/// <summary>
/// Maps generated examples to schema records and back. Tags carry {"kind", "spans": [{"kind",
/// "start", "length"}], "tests"} (tests only for write-function problems).
/// </summary>
public static class LabRecords
{
    /// <summary>The record for <paramref name="example"/>; spans and hidden tests go in its tags.</summary>
    public static CorpusRecord ToRecord(LabExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", example.Kind);
            json.WriteStartArray("spans");
            foreach (var span in example.Spans)
            {
                json.WriteStartObject();
                json.WriteString("kind", span.Kind.ToString().ToLowerInvariant());
                json.WriteNumber("start", span.Start);
                json.WriteNumber("length", span.Length);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (example.Tests.Count > 0)
            {
                json.WriteStartArray("tests");
                foreach (var test in example.Tests)
                {
                    json.WriteStringValue(test);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        using var tags = JsonDocument.Parse(buffer.ToArray());
        return new CorpusRecord(example.Id, CorpusFields.DomainName(example.Domain), example.Difficulty, example.Prompt, example.Response)
        {
            Tags = tags.RootElement.Clone(),
            Answer = example.Answer,
        };
    }

    /// <summary>The tagged spans in <paramref name="record"/>'s tags; empty when there are none or tags is not an object.</summary>
    public static IReadOnlyList<TaggedSpan> Spans(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Tags is not { ValueKind: JsonValueKind.Object } tags
            || !tags.TryGetProperty("spans", out var spans) || spans.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return spans.EnumerateArray()
            .Select(s => new TaggedSpan(
                Enum.Parse<SpanKind>(s.GetProperty("kind").GetString()!, ignoreCase: true),
                s.GetProperty("start").GetInt32(),
                s.GetProperty("length").GetInt32()))
            .ToList();
    }

    /// <summary>The hidden test calls in <paramref name="record"/>'s tags; empty when there are none.</summary>
    public static IReadOnlyList<string> Tests(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Tags is not { ValueKind: JsonValueKind.Object } tags
            || !tags.TryGetProperty("tests", out var tests) || tests.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return tests.EnumerateArray().Select(t => t.GetString() ?? "").ToList();
    }

    /// <summary>
    /// Checks a record's response against its answer: math by value; code by its hidden tests when
    /// tags has "tests" (the answer is then the reference implementation), else by exact output.
    /// </summary>
    public static CheckResult Check(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Answer is null)
        {
            return CheckResult.Fail("the record has no answer to check against");
        }
        if (record.Domain == CorpusFields.Math)
        {
            return AnswerChecker.CheckMath(record.Response, record.Answer);
        }
        var tests = Tests(record);
        return tests.Count > 0
            ? AnswerChecker.CheckFunction(record.Response, record.Answer, tests)
            : AnswerChecker.CheckOutput(record.Response, record.Answer);
    }
}
