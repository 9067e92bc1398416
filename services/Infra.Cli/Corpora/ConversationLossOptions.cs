using System.CommandLine;
using Infra.Contracts.Gradients.V1;

namespace Infra.Cli.Corpora;

/// <summary>
/// What a conversation corpus (the messages and sharegpt layouts) trains on, shared by the commands that train on a corpus
/// (index, fit: the store and the EK-FAC factors must see the same loss): every assistant turn or the last, and whether the
/// line break after each trained turn's end-of-turn token is trained. <see cref="Loss"/> turns them into the examples'
/// ConversationLoss. Prompt/response corpora ignore them.
/// </summary>
internal sealed class ConversationLossOptions
{
    private readonly Option<string> _turns = new("--loss-turns")
    {
        Description = "which assistant turns of a conversation (messages/sharegpt layouts) carry loss: all (as TRL's assistant-only loss) or last (earlier turns are context)",
        DefaultValueFactory = _ => "all",
    };
    private readonly Option<bool> _noTrailingNewline = new("--no-trailing-newline")
    {
        Description = "do not train the line break the chat template writes after an assistant turn's end-of-turn token (trained by default, as TRL and LLaMA-Factory train it)",
    };

    /// <summary>The options, created once per command (System.CommandLine options belong to one command).</summary>
    public ConversationLossOptions() => _turns.AcceptOnlyFromAmong("all", "last");

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_turns);
        command.Options.Add(_noTrailingNewline);
    }

    /// <summary>The loss <paramref name="parse"/> asks for, stated in full so the result does not depend on the service's defaults.</summary>
    public ConversationLoss Loss(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new ConversationLoss
        {
            AssistantTurns = parse.GetValue(_turns) == "last" ? AssistantTurns.Last : AssistantTurns.All,
            TrainTrailingNewline = !parse.GetValue(_noTrailingNewline),
        };
    }
}
