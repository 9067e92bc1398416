namespace Infra.Core.Text;

/// <summary>Which characters of a rendered conversation <see cref="ConversationEncoder"/> trains on.</summary>
public sealed class ConversationLossOptions
{
    /// <summary>
    /// Whether the line break(s) the template writes after an assistant turn's end-of-turn token (Qwen's
    /// <c>&lt;|im_end|&gt;\n</c>) are trained too. Defaults to true, as TRL's assistant-only loss and LLaMA-Factory
    /// train them.
    /// </summary>
    public bool TrainTrailingNewline { get; init; } = true;

    /// <summary>Whether only the last assistant turn is trained (earlier ones are context). Defaults to false: every assistant turn.</summary>
    public bool LastAssistantTurnOnly { get; init; }
}
