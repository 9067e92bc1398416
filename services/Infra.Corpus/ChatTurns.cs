namespace Infra.Corpus;

/// <summary>
/// The prompt and response of a <see cref="CorpusLayout.Messages"/> row, for display and metadata: the last assistant turn
/// is the response and the last user turn before it the prompt. The whole conversation stays in
/// <see cref="CorpusRecord.Messages"/>, and that is what indexing renders and trains (<see cref="CorpusRecord.IsConversation"/>).
/// </summary>
internal static class ChatTurns
{
    /// <summary>(prompt, response), or nulls with an error naming <paramref name="column"/>.</summary>
    public static (string? Prompt, string? Response) Split(IReadOnlyList<ChatMessage> messages, string column, List<string> errors)
    {
        var last = LastIndex(messages, "assistant", messages.Count);
        if (last < 0)
        {
            errors.Add($"column '{column}' has no assistant turn (the last one is the response)");
            return (null, null);
        }
        var user = LastIndex(messages, "user", last);
        if (user < 0)
        {
            errors.Add($"column '{column}' has no user turn before its last assistant turn (that user turn is the prompt)");
            return (null, null);
        }
        var (prompt, response) = (messages[user].Content, messages[last].Content);
        if (string.IsNullOrWhiteSpace(prompt)) errors.Add($"column '{column}': the last user turn is empty");
        if (string.IsNullOrWhiteSpace(response)) errors.Add($"column '{column}': the last assistant turn is empty");
        return string.IsNullOrWhiteSpace(prompt) || string.IsNullOrWhiteSpace(response) ? (null, null) : (prompt, response);
    }

    private static int LastIndex(IReadOnlyList<ChatMessage> messages, string role, int before)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            if (string.Equals(messages[i].Role, role, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}
