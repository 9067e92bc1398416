using Infra.Core.Text;

namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// <see cref="ConversationEncoder"/> on the real Qwen tokenizer with Qwen3's own template (from its
/// tokenizer_config.json): ids equal HF's tokenization of the rendered text, and the loss mask covers exactly the
/// assistant turns and what the template writes after them.
/// </summary>
public sealed class ConversationEncoderTests
{
    private static readonly Lazy<CheckpointChatTemplate> LazyQwen3 =
        new(() => CheckpointChatTemplate.Load(Path.Combine(QwenTokenizerFolder.Locate(), "tokenizer_config.json")));

    private static CheckpointChatTemplate Qwen3 => LazyQwen3.Value;

    private static readonly ChatTurn[] MultiTurn =
    [
        new("system", "You are helpful."),
        new("user", "Hi"),
        new("assistant", "Hello!"),
        new("user", "2+2?"),
        new("assistant", "4"),
    ];

    // The texts of the maximal runs of trained tokens, in order.
    private static List<string> TrainedRuns(EncodedExample example)
    {
        var runs = new List<string>();
        var t = 0;
        while (t < example.Ids.Length)
        {
            if (example.LossMask[t] == 0)
            {
                t++;
                continue;
            }
            var start = example.CharStarts[t];
            while (t < example.Ids.Length && example.LossMask[t] == 1) t++;
            runs.Add(example.RenderedText[start..(example.CharStarts[t - 1] + example.CharLengths[t - 1])]);
        }
        return runs;
    }

    [Fact]
    public void Every_assistant_turn_and_its_end_of_turn_line_are_trained_and_nothing_else()
    {
        var example = ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, MultiTurn);

        Assert.Equal(
            "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n" +
            "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n4<|im_end|>\n",
            example.RenderedText);
        // The last turn's empty reasoning block is the template's rendering of what the model writes, so it is trained.
        Assert.Equal(["Hello!<|im_end|>\n", "<think>\n\n</think>\n\n4<|im_end|>\n"], TrainedRuns(example));
        Assert.Equal(example.RenderedText.LastIndexOf("<think>", StringComparison.Ordinal), example.ResponseCharStart);
    }

    [Fact]
    public void Options_leave_out_the_trailing_newline_and_earlier_turns()
    {
        var noNewline = ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, MultiTurn, new ConversationLossOptions { TrainTrailingNewline = false });
        Assert.Equal(["Hello!<|im_end|>", "<think>\n\n</think>\n\n4<|im_end|>"], TrainedRuns(noNewline));

        var lastOnly = ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, MultiTurn, new ConversationLossOptions { LastAssistantTurnOnly = true });
        Assert.Equal(["<think>\n\n</think>\n\n4<|im_end|>\n"], TrainedRuns(lastOnly));
    }

    [Fact]
    public void Earlier_reasoning_the_template_drops_is_neither_rendered_nor_trained()
    {
        ChatTurn[] conversation =
        [
            new("user", "Q1"),
            new("assistant", "<think>\nfirst thoughts\n</think>\n\nA1"),
            new("user", "Q2"),
            new("assistant", "<think>\nsecond thoughts\n</think>\n\nA2"),
        ];
        var example = ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, conversation);

        Assert.DoesNotContain("first thoughts", example.RenderedText, StringComparison.Ordinal);
        Assert.Equal(["A1<|im_end|>\n", "<think>\nsecond thoughts\n</think>\n\nA2<|im_end|>\n"], TrainedRuns(example));
    }

    [Fact]
    public void Ids_equal_HFs_tokenization_of_the_whole_rendered_conversation()
    {
        // Conversations 10 and 11 have responses that start with line breaks, which merge with the header's "\n" when
        // the text is tokenized whole; every conversation with an assistant turn that Qwen3's template accepts is used.
        var checkedCount = 0;
        foreach (var conversation in ChatConversations.All.Where(c => c.Any(m => m.Role == "assistant")))
        {
            var example = ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, conversation);
            Assert.Equal(QwenTokenizers.Reference.EncodeIds(example.RenderedText), example.Ids);
            Assert.Equal(Qwen3.Render(conversation, addGenerationPrompt: false), example.RenderedText);
            checkedCount++;
        }
        Assert.True(checkedCount >= 25, $"only {checkedCount} conversations checked");
    }

    [Fact]
    public void A_response_starting_with_a_newline_trains_the_merged_line_break_token()
    {
        var example = ConversationEncoder.Encode(
            QwenTokenizers.Ours, Qwen3, [new("user", "Q"), new("assistant", "\nA"), new("user", "Q2"), new("assistant", "B")]);

        // "<|im_start|>assistant\n" + "\nA": tokenized whole, the header's "\n" and the response's join into one "\n\n"
        // token (HF's ids), which is trained because one of its characters is the model's.
        Assert.Equal(QwenTokenizers.Reference.EncodeIds(example.RenderedText), example.Ids);
        Assert.Equal("\n\nA<|im_end|>\n", TrainedRuns(example)[0]);
    }

    [Fact]
    public void An_empty_system_message_renders_as_the_template_renders_it()
    {
        var example = ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, [new("system", ""), new("user", "Q"), new("assistant", "A")]);

        Assert.StartsWith("<|im_start|>system\n<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n", example.RenderedText, StringComparison.Ordinal);
        Assert.DoesNotContain(ChatTemplateOptions.QwenDefaultSystemMessage, example.RenderedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Conversations_without_an_assistant_turn_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ConversationEncoder.Encode(QwenTokenizers.Ours, Qwen3, [new("user", "Q")]));
    }

    [Fact]
    public void Every_fetched_template_finds_its_assistant_turns()
    {
        // Beyond Qwen3: each real template's assistant spans line up, and the trained text holds each turn's answer.
        ChatTurn[] conversation = [new("user", "Question one"), new("assistant", "Answer one"), new("user", "Question two"), new("assistant", "Answer two")];
        foreach (var file in ChatTemplateFiles.All())
        {
            var template = new CheckpointChatTemplate(file.Source, file.BosToken, file.EosToken);
            var rendered = template.Render(conversation, addGenerationPrompt: false);
            var example = ConversationEncoder.Encode(QwenTokenizers.Ours, template, conversation);
            var trained = string.Concat(TrainedRuns(example));
            Assert.True(trained.Contains("Answer one", StringComparison.Ordinal) && trained.Contains("Answer two", StringComparison.Ordinal), $"{file.Name}: trained {trained}");
            Assert.False(trained.Contains("Question", StringComparison.Ordinal), $"{file.Name}: trained {trained}");
            Assert.Equal(rendered, example.RenderedText);
        }
    }
}
