using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Gradients.Mapping;
using Infra.Torch.Gradients;
using ChatFormat = Infra.Contracts.Gradients.V1.ChatFormat;
using CoreChatFormat = Infra.Core.Text.ChatFormat;
using CoreChatTurn = Infra.Core.Text.ChatTurn;
using WireChatTurn = Infra.Contracts.Gradients.V1.ChatTurn;

namespace Infra.Gradients.Tests;

/// <summary>
/// Conversations (Example.messages) through the GradientService on a real loopback port, against
/// <see cref="ConversationEncoder"/> run directly: the test checkpoint has no chat_template, so they are rendered with the
/// built-in Qwen2.5 template; and the mapper's refusals of bad conversations, naming the example and the turn.
/// </summary>
public sealed class ConversationExampleTests(LoopbackHostFixture fixture) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    private static readonly (string Role, string Content)[] ThreeTurns =
    [
        ("system", "Be brief."),
        ("user", "2+2?"),
        ("assistant", "4"),
        ("user", "Times 3?"),
        ("assistant", "12"),
        ("user", "Minus 5?"),
        ("assistant", "\n7"), // a response that starts with a line break: its "\n" merges with the header's when encoded whole
    ];

    [Fact]
    public async Task A_checkpoint_without_a_chat_template_is_reported_and_conversations_get_the_built_in_Qwen25_template()
    {
        var info = await _client.GetModelInfoAsync(new GetModelInfoRequest());
        Assert.False(info.CheckpointChatTemplate);

        var options = new GradientOptions { IncludeExampleGradient = true, IncludeTokenFactors = true };
        var last = Conversation("last", ThreeTurns);
        last.ConversationLoss = new ConversationLoss { AssistantTurns = AssistantTurns.Last, TrainTrailingNewline = false };
        var (received, _) = await GradientClient.ComputeAsync(_client, options, [Conversation("all", ThreeTurns), last]);

        var tokenizer = HfTokenizer.LoadFolder(fixture.Host.ModelPath);
        var turns = ThreeTurns.Select(t => new CoreChatTurn(t.Role, t.Content)).ToList();
        var all = ConversationEncoder.Encode(tokenizer, BuiltInChatTemplates.Qwen25, turns);
        var lastOnly = ConversationEncoder.Encode(tokenizer, BuiltInChatTemplates.Qwen25, turns,
            new ConversationLossOptions { LastAssistantTurnOnly = true, TrainTrailingNewline = false });
        Assert.Equal(all.Ids, received[0].Header.TokenIds);
        Assert.Equal(all.LossMask.Select(m => (uint)m), received[0].Header.LossMask);
        Assert.Equal(all.RenderedText, received[0].Header.RenderedText);
        Assert.Equal(lastOnly.Ids, received[1].Header.TokenIds);
        Assert.Equal(lastOnly.LossMask.Select(m => (uint)m), received[1].Header.LossMask);

        // The whole text in Qwen2.5's format, the given system turn instead of the default; the byte-level tokenizer
        // makes every character one token (the special tokens one each), so the mask reads back as text.
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n"
            + "<|im_start|>user\nTimes 3?<|im_end|>\n<|im_start|>assistant\n12<|im_end|>\n<|im_start|>user\nMinus 5?<|im_end|>\n"
            + "<|im_start|>assistant\n\n7<|im_end|>\n", received[0].Header.RenderedText);
        Assert.Equal("4<|im_end|>\n12<|im_end|>\n\n7<|im_end|>\n", Trained(received[0].Header));
        Assert.Equal("\n7<|im_end|>", Trained(received[1].Header));
    }

    [Fact]
    public async Task One_exchange_as_system_prompt_response_keeps_the_old_rendering()
    {
        var (received, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true },
            [GradientClient.Chat("single", "2+2?", "4")]);
        var expected = ChatTemplate.Build(HfTokenizer.LoadFolder(fixture.Host.ModelPath), null, "2+2?", "4", CoreChatFormat.Qwen25);
        Assert.Equal(expected.Ids, received[0].Header.TokenIds);
        Assert.Equal(expected.LossMask.Select(m => (uint)m), received[0].Header.LossMask);
        Assert.Equal("4<|im_end|>", Trained(received[0].Header)); // the newline after <|im_end|> stays untrained there
    }

    [Fact]
    public void The_built_in_Qwen25_template_renders_one_exchange_as_the_Qwen25_chat_format_does()
    {
        var tokenizer = HfTokenizer.LoadFolder(fixture.Host.ModelPath);
        foreach (var system in new[] { null, "Be brief.", "" })
        {
            var turns = new List<CoreChatTurn>();
            if (system is not null) turns.Add(new CoreChatTurn("system", system));
            turns.AddRange([new CoreChatTurn("user", "What is 6 x 7?"), new CoreChatTurn("assistant", "42")]);
            // ChatTemplate.Build takes "" as an empty system turn, as the template does.
            var expected = ChatTemplate.Build(tokenizer, system, "What is 6 x 7?", "42", CoreChatFormat.Qwen25);
            Assert.Equal(expected.RenderedText, BuiltInChatTemplates.Qwen25.Render(turns, addGenerationPrompt: false));
        }
    }

    [Fact]
    public async Task Plain_format_refuses_a_conversation_when_the_checkpoint_has_no_template()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ComputeAsync(_client,
            new GradientOptions { IncludeExampleGradient = true, ChatFormat = ChatFormat.Plain }, [Conversation("plain", ThreeTurns)]));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("example 'plain': the checkpoint has no chat_template and chat_format PLAIN", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tool", "example 'bad': messages[1] has the unknown role 'tool' (expected system, user, assistant)")]
    [InlineData("", "example 'bad': messages[1] has no role")]
    [InlineData("empty", "example 'bad': messages[1] is empty (no role, no content)")]
    public async Task A_turn_without_a_known_role_is_invalid_argument_naming_the_example_and_the_turn(string role, string expected)
    {
        var turn = role == "empty" ? ("", "") : (role, "{\"result\": 4}");
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ComputeAsync(_client,
            new GradientOptions { IncludeExampleGradient = true }, [Conversation("bad", [("user", "2+2?"), turn, ("assistant", "4")])]));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-assistant", "example 'no-assistant': the conversation has no assistant turn to train on")]
    [InlineData("empty-answer", "example 'empty-answer': messages[3]: the last assistant turn is empty")]
    [InlineData("both", "example 'both': give either messages or system/prompt/response, not both")]
    [InlineData("bad-loss", "example 'bad-loss': conversation_loss.assistant_turns: unknown value 7")]
    public void The_mapper_refuses_bad_conversations_naming_the_example_and_the_turn(string id, string expected)
    {
        var example = id switch
        {
            "no-assistant" => Conversation(id, [("system", "s"), ("user", "2+2?")]),
            "empty-answer" => Conversation(id, [("user", "2+2?"), ("assistant", ""), ("user", "again?"), ("assistant", "  ")]),
            "both" => Conversation(id, [("user", "2+2?"), ("assistant", "4")]),
            _ => Conversation(id, [("user", "2+2?"), ("assistant", "4")]),
        };
        if (id == "both") example.Prompt = "2+2?";
        if (id == "bad-loss") example.ConversationLoss = new ConversationLoss { AssistantTurns = (AssistantTurns)7 };
        var error = Assert.Throws<InvalidExampleException>(() => ExampleMapper.Map(example, Rendering(template: null)));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void An_earlier_empty_assistant_turn_is_kept_and_only_its_end_of_turn_is_trained()
    {
        var (_, encoded) = ExampleMapper.Map(Conversation("gap", [("user", "h1"), ("assistant", ""), ("user", "h2"), ("assistant", "g2")]), Rendering(template: null));
        Assert.Equal("<|im_end|>\ng2<|im_end|>\n", Trained(encoded));
    }

    [Fact]
    public void The_checkpoint_template_renders_conversations_and_what_it_raises_is_invalid_argument()
    {
        // A checkpoint's own template (not Qwen's: no default system turn, "### role" headers) that refuses system turns,
        // as Gemma's and Mistral's do with raise_exception.
        var template = new CheckpointChatTemplate(
            "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
            + "{{ '### ' + m['role'] + '\\n' + m['content'] + eos_token + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '### assistant\\n' }}{% endif %}", bosToken: null, eosToken: "<|im_end|>");
        var (_, encoded) = ExampleMapper.Map(Conversation("own", [("user", "2+2?"), ("assistant", "4")]), Rendering(template));
        Assert.Equal("### user\n2+2?<|im_end|>\n### assistant\n4<|im_end|>\n", encoded.RenderedText);
        Assert.Equal("4<|im_end|>\n", Trained(encoded));

        var error = Assert.Throws<InvalidExampleException>(() => ExampleMapper.Map(Conversation("sys", [("system", "s"), ("user", "u"), ("assistant", "a")]), Rendering(template)));
        Assert.StartsWith("example 'sys': the chat template refuses the conversation: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("System role not supported", error.Message, StringComparison.Ordinal);
    }

    private ExampleRendering Rendering(CheckpointChatTemplate? template) =>
        new(HfTokenizer.LoadFolder(fixture.Host.ModelPath), CoreChatFormat.Qwen25, template, new ConversationLossOptions());

    private static Example Conversation(string id, IEnumerable<(string Role, string Content)> turns)
    {
        var example = new Example { Id = id, Domain = "chat" };
        example.Messages.AddRange(turns.Select(t => new WireChatTurn { Role = t.Role, Content = t.Content }));
        return example;
    }

    // The text of the trained tokens, in order.
    private static string Trained(ExampleHeader header) => string.Concat(Enumerable.Range(0, header.TokenIds.Count)
        .Where(t => header.LossMask[t] == 1).Select(t => header.RenderedText.Substring(header.CharStarts[t], header.CharLengths[t])));

    private static string Trained(EncodedExample encoded) => string.Concat(Enumerable.Range(0, encoded.Ids.Length)
        .Where(t => encoded.LossMask[t] == 1).Select(t => encoded.RenderedText.Substring(encoded.CharStarts[t], encoded.CharLengths[t])));
}
