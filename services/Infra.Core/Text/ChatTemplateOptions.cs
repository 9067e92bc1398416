namespace Infra.Core.Text;

/// <summary>Options for <see cref="ChatTemplate.Build"/>.</summary>
public sealed class ChatTemplateOptions
{
    /// <summary>The system message Qwen2.5's template writes when none is given.</summary>
    public const string QwenDefaultSystemMessage = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    /// <summary>
    /// System message used by <see cref="ChatFormat.Qwen25"/> when the example has none.
    /// Defaults to <see cref="QwenDefaultSystemMessage"/>, as HF's Qwen2.5 template.
    /// </summary>
    public string DefaultSystemMessage { get; init; } = QwenDefaultSystemMessage;

    /// <summary>
    /// Whether <see cref="ChatFormat.Plain"/> appends the tokenizer's EOS token (when it has one) to
    /// the response, inside the loss mask, so the model learns to stop. Defaults to true.
    /// </summary>
    public bool AppendEos { get; init; } = true;
}
