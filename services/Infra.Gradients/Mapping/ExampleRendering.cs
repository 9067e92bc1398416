using Infra.Core.Text;
using Infra.Gradients.Hosting;

namespace Infra.Gradients.Mapping;

/// <summary>
/// How one call turns its examples into tokens: the tokenizer, the call's chat format (system/prompt/response examples,
/// and conversations when the checkpoint has no template), the checkpoint's own chat template (conversations; null when
/// it has none) and the service's defaults for what a conversation trains on.
/// </summary>
internal sealed record ExampleRendering(
    HfTokenizer Tokenizer, Core.Text.ChatFormat Format, CheckpointChatTemplate? CheckpointTemplate, ConversationLossOptions DefaultLoss)
{
    /// <summary>The rendering of a call on <paramref name="session"/> in <paramref name="format"/>.</summary>
    public static ExampleRendering For(ModelSession session, Core.Text.ChatFormat format)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new ExampleRendering(session.Tokenizer, format, session.ChatTemplate, new ConversationLossOptions
        {
            LastAssistantTurnOnly = session.Options.LastAssistantTurnOnly,
            TrainTrailingNewline = session.Options.TrainTrailingNewline,
        });
    }
}
