using System.Text.Json;

namespace Infra.Corpus;

/// <summary>
/// One line of a user's corpus JSONL: required id, domain ("math" or "code"), difficulty (1-5),
/// prompt and response; optional messages (chat turns), tags (free-form JSON object or array;
/// generated corpora put exploration spans there as {"spans": [{"kind", "start", "length"}]}) and
/// answer (the final answer or expected output, for checking).
/// </summary>
public sealed record CorpusRecord(string Id, ReasoningDomain Domain, int Difficulty, string Prompt, string Response)
{
    /// <summary>Optional chat turns; null when the line has none.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>Optional free-form tags (a JSON object or array); null when the line has none.</summary>
    public JsonElement? Tags { get; init; }

    /// <summary>Optional final answer or expected output; null when the line has none.</summary>
    public string? Answer { get; init; }
}
