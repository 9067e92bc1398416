using Infra.Core.Text;
using Infra.Core.Text.Jinja;

namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// The built-in Qwen2.5 template (conversations on a checkpoint without a chat_template) against Qwen2.5's own, and
/// <see cref="CheckpointChatTemplate.LoadFromFolder"/>: an absent template is null, a broken one an error.
/// </summary>
public sealed class BuiltInChatTemplateTests
{
    [Fact]
    public void The_built_in_Qwen25_template_renders_every_conversation_as_Qwen25s_own_template()
    {
        var real = ChatTemplateFiles.Named("qwen2_5");
        var qwen25 = new CheckpointChatTemplate(real.Source, real.BosToken, real.EosToken);
        var rendered = 0;
        // Qwen2.5's template without tools: the built-in one has no tool turns, and the corpora refuse them.
        foreach (var conversation in ChatConversations.All.Where(c => c.Count > 0 && c.All(t => t.Role is "system" or "user" or "assistant")))
        {
            foreach (var generationPrompt in new[] { false, true })
            {
                Assert.Equal(qwen25.Render(conversation, generationPrompt), BuiltInChatTemplates.Qwen25.Render(conversation, generationPrompt));
                rendered++;
            }
        }
        Assert.True(rendered >= 40, $"only {rendered} renders compared");
    }

    [Fact]
    public void A_folder_without_a_template_gives_null_and_a_broken_template_is_an_error()
    {
        using var folder = new TempFolder();
        Assert.Null(CheckpointChatTemplate.LoadFromFolder(folder.Path));

        folder.Write("tokenizer_config.json", """{"eos_token": "<|im_end|>", "bos_token": null}""");
        Assert.Null(CheckpointChatTemplate.LoadFromFolder(folder.Path));

        folder.Write("tokenizer_config.json", """{"eos_token": {"content": "<|eot|>"}, "chat_template": "{% for m in messages %}{{ m['role'] }}:{{ m['content'] }}{{ eos_token }}{% endfor %}"}""");
        var template = CheckpointChatTemplate.LoadFromFolder(folder.Path)!;
        Assert.Equal("user:hi<|eot|>assistant:ho<|eot|>", template.Render([new ChatTurn("user", "hi"), new ChatTurn("assistant", "ho")], addGenerationPrompt: false));

        folder.Write("tokenizer_config.json", """{"chat_template": "{% for m in messages %}{{ m['content'] }"}""");
        Assert.ThrowsAny<JinjaException>(() => CheckpointChatTemplate.LoadFromFolder(folder.Path));

        folder.Write("tokenizer_config.json", "{not json");
        Assert.Throws<TokenizerException>(() => CheckpointChatTemplate.LoadFromFolder(folder.Path));
    }
}
