using System.Globalization;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Core.Text.Jinja;
using Infra.Torch.Gradients;
using CoreChatTurn = Infra.Core.Text.ChatTurn;

namespace Infra.Gradients.Mapping;

/// <summary>
/// A conversation (<see cref="Example.Messages"/>) as tokens and loss mask: checked turn by turn, rendered with the
/// checkpoint's own chat template (or, when it has none, the built-in Qwen2.5 one) and encoded by
/// <see cref="ConversationEncoder"/>.
/// </summary>
internal static class ConversationMapper
{
    /// <summary>The roles chat templates agree on; tool turns have no common rendering, and corpora refuse them too.</summary>
    private static readonly string[] Roles = ["system", "user", "assistant"];

    /// <exception cref="InvalidExampleException">
    /// Messages together with system/prompt/response, a turn without a role or with an unknown one, no assistant turn, an empty
    /// last assistant turn, no template to render with, or a conversation the template refuses.
    /// </exception>
    public static EncodedExample Encode(Example example, ExampleRendering rendering)
    {
        var id = example.Id;
        if (!string.IsNullOrEmpty(example.System) || !string.IsNullOrEmpty(example.Prompt) || !string.IsNullOrEmpty(example.Response))
            throw new InvalidExampleException(id, "give either messages or system/prompt/response, not both");
        var turns = new List<CoreChatTurn>(example.Messages.Count);
        var lastAssistant = -1;
        for (var i = 0; i < example.Messages.Count; i++)
        {
            var (role, content) = (example.Messages[i].Role, example.Messages[i].Content);
            if (role.Length == 0)
                throw new InvalidExampleException(id, content.Length == 0 ? $"{Turn(i)} is empty (no role, no content)" : $"{Turn(i)} has no role");
            if (!Roles.Contains(role, StringComparer.Ordinal))
                throw new InvalidExampleException(id, $"{Turn(i)} has the unknown role '{role}' (expected {string.Join(", ", Roles)})");
            if (role == "assistant") lastAssistant = i;
            turns.Add(new CoreChatTurn(role, content));
        }
        if (lastAssistant < 0)
            throw new InvalidExampleException(id, "the conversation has no assistant turn to train on");
        // Earlier assistant turns may be empty (ShareGPT dumps have them); the last one is what the example is about.
        if (string.IsNullOrWhiteSpace(turns[lastAssistant].Content))
            throw new InvalidExampleException(id, $"{Turn(lastAssistant)}: the last assistant turn is empty");
        var template = rendering.CheckpointTemplate ?? rendering.Format switch
        {
            Core.Text.ChatFormat.Qwen25 => BuiltInChatTemplates.Qwen25,
            _ => throw new InvalidExampleException(id,
                "the checkpoint has no chat_template and chat_format PLAIN has no turns to render a conversation with; use QWEN2_5 or a checkpoint with a chat_template"),
        };
        try
        {
            return ConversationEncoder.Encode(rendering.Tokenizer, template, turns, Loss(example, rendering.DefaultLoss));
        }
        catch (JinjaException ex)
        {
            throw new InvalidExampleException(id, $"the chat template refuses the conversation: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw new InvalidExampleException(id, ex.Message);
        }
    }

    private static ConversationLossOptions Loss(Example example, ConversationLossOptions defaults)
    {
        if (example.ConversationLoss is not { } loss) return defaults;
        return new ConversationLossOptions
        {
            LastAssistantTurnOnly = loss.AssistantTurns switch
            {
                AssistantTurns.Unspecified => defaults.LastAssistantTurnOnly,
                AssistantTurns.All => false,
                AssistantTurns.Last => true,
                _ => throw new InvalidExampleException(example.Id, $"conversation_loss.assistant_turns: unknown value {loss.AssistantTurns}"),
            },
            TrainTrailingNewline = loss.HasTrainTrailingNewline ? loss.TrainTrailingNewline : defaults.TrainTrailingNewline,
        };
    }

    private static string Turn(int index) => string.Create(CultureInfo.InvariantCulture, $"messages[{index}]");
}
