namespace Infra.Core.Text;

/// <summary>
/// Chat templates the service renders conversations with when a checkpoint has none of its own.
/// </summary>
public static class BuiltInChatTemplates
{
    // The Qwen2.5 format ChatTemplate.Build writes for one exchange, written out for any number of turns: every message
    // as <|im_start|>role\ncontent<|im_end|>\n, a default system turn when the conversation does not start with one (an
    // empty system message stays empty), and the assistant header as the generation prompt. No tools: corpora carry none.
    private const string Qwen25Source =
        "{%- if messages[0]['role'] == 'system' -%}"
        + "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' -}}"
        + "{%- else -%}"
        + "{{- '<|im_start|>system\\n" + ChatTemplateOptions.QwenDefaultSystemMessage + "<|im_end|>\\n' -}}"
        + "{%- endif -%}"
        + "{%- for message in messages -%}"
        + "{%- if not (loop.first and message['role'] == 'system') -%}"
        + "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}"
        + "{%- endif -%}"
        + "{%- endfor -%}"
        + "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";

    /// <summary>
    /// <see cref="ChatFormat.Qwen25"/> as a template, for conversations of any length: for one (system, user, assistant)
    /// exchange it renders exactly the text <see cref="ChatTemplate.Build"/> renders, the default system message included.
    /// Its end-of-sequence token is <c>&lt;|im_end|&gt;</c>, as Qwen2.5 Instruct's.
    /// </summary>
    public static CheckpointChatTemplate Qwen25 { get; } = new(Qwen25Source, bosToken: null, eosToken: "<|im_end|>");
}
