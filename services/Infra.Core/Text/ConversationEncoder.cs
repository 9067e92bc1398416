namespace Infra.Core.Text;

/// <summary>
/// Renders a conversation with its checkpoint's own chat template, tokenizes the whole text at once (so the ids are
/// HF's tokenization of the rendered conversation, tokens across turn borders included), and trains on the tokens of
/// the assistant turns (<see cref="AssistantSpans"/>).
/// </summary>
public static class ConversationEncoder
{
    /// <summary>
    /// Encodes <paramref name="conversation"/>. A token is trained when any of its characters lies in an assistant
    /// span, as transformers' assistant mask marks every token a span's characters map to (so a line break that merges
    /// the header's with the response's is trained). <see cref="EncodedExample.ResponseCharStart"/> is where the last
    /// trained turn starts. <paramref name="options"/> defaults to <see cref="ConversationLossOptions"/>' defaults.
    /// </summary>
    /// <exception cref="ArgumentException">No assistant turn, the template's renders cannot be lined up, or nothing would be trained.</exception>
    /// <exception cref="Jinja.JinjaException">The template rejects the conversation.</exception>
    public static EncodedExample Encode(
        HfTokenizer tok, CheckpointChatTemplate template, IReadOnlyList<ChatTurn> conversation, ConversationLossOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tok);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(conversation);
        options ??= new ConversationLossOptions();
        if (!conversation.Any(m => m.Role == "assistant"))
            throw new ArgumentException("the conversation has no assistant turn to train on", nameof(conversation));

        var rendered = template.Render(conversation, addGenerationPrompt: false);
        var spans = AssistantSpans.Find(template, conversation, rendered, options);
        var encoded = tok.Encode(rendered);
        var mask = new byte[encoded.Ids.Length];
        for (var t = 0; t < mask.Length; t++)
        {
            var (start, end) = (encoded.CharStarts[t], encoded.CharStarts[t] + encoded.CharLengths[t]);
            mask[t] = spans.Any(s => start < s.End && end > s.Start) ? (byte)1 : (byte)0;
        }
        if (!mask.Contains((byte)1))
            throw new ArgumentException("the conversation has no tokens to train on (empty assistant turns and no end-of-turn text)", nameof(conversation));
        return new EncodedExample(encoded.Ids, mask, encoded.CharStarts, encoded.CharLengths, rendered, spans[^1].Start);
    }
}
