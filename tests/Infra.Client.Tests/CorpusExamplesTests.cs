using Infra.Client.Corpus;
using Infra.Contracts.Gradients.V1;
using MetadataValue = Infra.Core.Metadata.MetadataValue;
using Infra.Corpus;

namespace Infra.Client.Tests;

/// <summary>Corpus records as examples: a conversation is sent whole for training and as its last exchange for queries.</summary>
public sealed class CorpusExamplesTests
{
    private static readonly ChatMessage[] Turns =
    [
        new("system", "Be brief."), new("user", "u1"), new("assistant", "a1"), new("user", "u2"), new("assistant", "a2"),
    ];

    [Fact]
    public void A_conversation_is_trained_whole_with_its_loss_and_queried_as_its_last_exchange()
    {
        var record = new CorpusRecord("c1", "chat", 0, "u2", "a2")
        {
            Messages = Turns,
            IsConversation = true,
            Metadata = new Dictionary<string, MetadataValue> { ["source"] = MetadataValue.Of("x") },
        };
        var loss = new ConversationLoss { AssistantTurns = AssistantTurns.Last, TrainTrailingNewline = false };

        var trained = CorpusExamples.ToTrainingExample(record, loss);
        Assert.Equal(Turns.Select(t => (t.Role, t.Content)), trained.Messages.Select(t => (t.Role, t.Content)));
        Assert.Equal(("", "", ""), (trained.System, trained.Prompt, trained.Response)); // the service refuses both forms at once
        Assert.Equal(loss, trained.ConversationLoss);
        Assert.NotSame(loss, trained.ConversationLoss);
        Assert.Equal(("c1", "chat", 0), (trained.Id, trained.Domain, trained.Difficulty));
        Assert.Equal("x", trained.Metadata["source"].StringValue);

        var query = CorpusExamples.ToExample(record);
        Assert.Empty(query.Messages);
        Assert.Equal(("u2", "a2"), (query.Prompt, query.Response));
    }

    [Fact]
    public void A_prompt_response_record_is_the_same_example_for_training_whatever_messages_it_carries()
    {
        var record = new CorpusRecord("e1", "math", 2, "p", "r") { Messages = Turns };
        Assert.Equal(CorpusExamples.ToExample(record), CorpusExamples.ToTrainingExample(record, new ConversationLoss { AssistantTurns = AssistantTurns.Last }));
    }
}
