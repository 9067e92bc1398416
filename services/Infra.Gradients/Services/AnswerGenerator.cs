using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Gradients.Hosting;
using Infra.Torch.Evaluation;
using Infra.Torch.Generation;
using Infra.Core.Errors;

namespace Infra.Gradients.Services;

/// <summary>
/// Greedy answers to prompts, rendered as the evaluation renders them (<see cref="Evaluator.PromptIds"/>) and decoded
/// by <see cref="GreedyDecoder"/> with <see cref="Evaluator.StopIds"/>, so an answer here is the answer the lab's
/// accuracy figures judged.
/// </summary>
internal static class AnswerGenerator
{
    /// <summary>Tokens generated per prompt when a request says 0.</summary>
    public const int DefaultMaxNewTokens = 256;

    /// <summary>Validates the request (ids, non-empty prompts) before any decoding starts.</summary>
    /// <exception cref="ArgumentException">No prompts, a missing id or an empty prompt.</exception>
    public static void Validate(GenerateRequest request)
    {
        if (request.Prompts.Count == 0) throw DomainException.InvalidArgument("no prompts were given", "prompts");
        for (var i = 0; i < request.Prompts.Count; i++)
        {
            var p = request.Prompts[i];
            if (string.IsNullOrWhiteSpace(p.Id)) throw DomainException.InvalidArgument($"prompt {i} has no id", "prompts.id");
            if (string.IsNullOrWhiteSpace(p.Prompt)) throw DomainException.InvalidArgument($"prompt '{p.Id}' is empty", "prompts.prompt");
        }
    }

    /// <summary>Decodes one prompt; the caller holds the model (<see cref="ModelSession.AcquireAsync"/>). Stops within one token of cancellation.</summary>
    public static GeneratedAnswer Generate(ModelSession session, GenerationPrompt prompt, int maxNewTokens, Core.Text.ChatFormat format,
        CancellationToken cancellationToken = default)
    {
        var ids = Evaluator.PromptIds(session.Tokenizer, string.IsNullOrEmpty(prompt.System) ? null : prompt.System, prompt.Prompt, format);
        var room = session.Computer.MaxLength - ids.Length;
        if (room <= 0)
            throw DomainException.InvalidArgument($"prompt '{prompt.Id}' has {ids.Length} tokens, leaving no room under max_length {session.Computer.MaxLength}", "prompts.prompt");
        var stopIds = Evaluator.StopIds(session.Model, session.Tokenizer);
        var generated = GreedyDecoder.Generate(session.Model, ids, Math.Min(maxNewTokens, room), stopIds, cancellationToken: cancellationToken);
        var stopped = generated.Length > 0 && stopIds.Contains(generated[^1]);
        var answer = new GeneratedAnswer
        {
            Id = prompt.Id,
            Answer = session.Tokenizer.Decode(stopped ? generated[..^1] : generated),
            Stopped = stopped,
            PromptTokens = (uint)ids.Length,
        };
        answer.TokenIds.AddRange(generated);
        return answer;
    }
}
