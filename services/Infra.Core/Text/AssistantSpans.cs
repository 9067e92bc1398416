using System.Globalization;

namespace Infra.Core.Text;

/// <summary>
/// Finds, in a conversation rendered whole by its checkpoint's template, the characters each assistant turn
/// contributes: what the model writes (reasoning and answer) and the end-of-turn text the template puts after it.
/// </summary>
/// <remarks>
/// Templates rarely mark assistant text (transformers' <c>{% generation %}</c> exists in few), so the spans come from
/// renders of parts of the conversation, as transformers' own incremental approach does:
/// <list type="bullet">
/// <item>start: the conversation up to the turn, rendered with the generation prompt, is a prefix of the whole render
/// and ends where the assistant starts writing;</item>
/// <item>end of the written text: the whole conversation with this turn's content replaced by a unique marker ends
/// with the same text after the marker as the real render ends with after the turn (templates may rewrite a turn's
/// content, as Qwen3 drops earlier turns' reasoning, so the content itself is not searched for);</item>
/// <item>end-of-turn text: what the template writes after the marker when this turn is the last message, as far as the
/// whole render agrees with it (<c>&lt;|im_end|&gt;\n</c>, <c>&lt;|eot_id|&gt;</c>, ...).</item>
/// </list>
/// </remarks>
internal static class AssistantSpans
{
    public static List<(int Start, int End)> Find(
        CheckpointChatTemplate template, IReadOnlyList<ChatTurn> conversation, string rendered, ConversationLossOptions options)
    {
        var spans = new List<(int, int)>();
        var assistantTurns = Enumerable.Range(0, conversation.Count).Where(i => conversation[i].Role == "assistant").ToList();
        if (options.LastAssistantTurnOnly && assistantTurns.Count > 0) assistantTurns = [assistantTurns[^1]];
        foreach (var k in assistantTurns)
        {
            var header = template.Render(conversation.Take(k).ToList(), addGenerationPrompt: true);
            if (!rendered.StartsWith(header, StringComparison.Ordinal))
                throw Incremental(k, "the conversation before it, with the generation prompt, is not a prefix of the whole render");

            var marker = string.Create(CultureInfo.InvariantCulture, $"\uE000turn{k}\uE001");
            var marked = conversation.Select((m, i) => i == k ? m with { Content = marker } : m).ToList();
            var afterInWhole = After(template.Render(marked, addGenerationPrompt: false), marker, k);
            if (!rendered.EndsWith(afterInWhole, StringComparison.Ordinal) || rendered.Length - afterInWhole.Length < header.Length)
                throw Incremental(k, "the text after the turn differs from the whole render's");
            var contentEnd = rendered.Length - afterInWhole.Length;

            var endOfTurn = After(template.Render(marked.Take(k + 1).ToList(), addGenerationPrompt: false), marker, k);
            var agreed = CommonPrefixLength(endOfTurn, afterInWhole);
            var end = contentEnd + agreed;
            if (!options.TrainTrailingNewline)
            {
                while (end > contentEnd && rendered[end - 1] is '\n' or '\r') end--;
            }
            spans.Add((header.Length, end));
        }
        return spans;
    }

    private static string After(string text, string marker, int turn)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(marker, at + 1, StringComparison.Ordinal) >= 0)
            throw Incremental(turn, "the template does not write the turn's content exactly once");
        return text[(at + marker.Length)..];
    }

    private static int CommonPrefixLength(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return n;
    }

    private static ArgumentException Incremental(int turn, string why) =>
        new($"cannot find assistant turn {turn} in the rendered conversation: {why}");
}
