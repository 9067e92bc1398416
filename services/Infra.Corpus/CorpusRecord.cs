using System.Text.Json;
using Infra.Core.Metadata;

namespace Infra.Corpus;

/// <summary>
/// One example of a user's corpus: id, domain (any name: "math", "code", "science", ...), difficulty
/// level (>= 1, or <see cref="DifficultyScheme.Unlabelled"/> = 0 when the example has none), prompt
/// and response; optional messages (chat turns), tags (free-form JSON object or array; generated
/// corpora put exploration spans there as {"spans": [{"kind", "start", "length"}]}), answer (the
/// final answer or expected output, for checking) and metadata (the corpus's other columns).
/// </summary>
public sealed record CorpusRecord(string Id, string Domain, int Difficulty, string Prompt, string Response)
{
    /// <summary>The corpus's other columns (source, language, rating, the raw difficulty label, ...), by name; empty when none.</summary>
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = EmptyMetadata;

    /// <summary>An empty metadata map.</summary>
    public static IReadOnlyDictionary<string, MetadataValue> EmptyMetadata { get; } = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);

    /// <summary>Optional chat turns; null when the line has none.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>
    /// Whether the example's text is the whole of <see cref="Messages"/> (a <see cref="CorpusLayout.Messages"/> or
    /// <see cref="CorpusLayout.ShareGpt"/> row): every turn is rendered and trained, and <see cref="Prompt"/> and
    /// <see cref="Response"/> are its last exchange, for display. False for prompt/response layouts, whose optional messages
    /// are only carried along. Defaults to false.
    /// </summary>
    public bool IsConversation { get; init; }

    /// <summary>Optional free-form tags (a JSON object or array); null when the line has none.</summary>
    public JsonElement? Tags { get; init; }

    /// <summary>Optional final answer or expected output; null when the line has none.</summary>
    public string? Answer { get; init; }
}
