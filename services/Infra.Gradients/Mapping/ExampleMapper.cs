using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Mapping;

/// <summary>
/// Turns a proto <see cref="Example"/> into tokens + loss mask (and the rendered text, for reports): given tokens as they
/// are, a conversation (messages) through <see cref="ConversationMapper"/>, else system/prompt/response in the call's
/// chat format by <see cref="ChatTemplate.Build"/>, exactly as before conversations existed.
/// </summary>
internal static class ExampleMapper
{
    /// <exception cref="InvalidExampleException">Missing id, empty prompt/response, an invalid token list, or an invalid conversation.</exception>
    public static (TokenizedExample Tokens, EncodedExample Encoded) Map(Example example, ExampleRendering rendering)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(rendering);
        var id = example.Id;
        if (string.IsNullOrWhiteSpace(id))
            throw new InvalidExampleException("(no id)", "the id is missing");
        if (Core.Naming.ExampleId.Problem(id) is { } idProblem)
            throw new InvalidExampleException(Core.Naming.ExampleId.Quote(id), idProblem);
        EncodedExample encoded;
        if (example.Tokens is { TokenIds.Count: > 0 } tokens)
        {
            if (tokens.LossMask.Count != tokens.TokenIds.Count)
                throw new InvalidExampleException(id, $"loss mask has {tokens.LossMask.Count} entries for {tokens.TokenIds.Count} tokens");
            if (tokens.LossMask.Any(m => m > 1))
                throw new InvalidExampleException(id, "loss mask entries must be 0 or 1");
            encoded = EncodedExample.FromTokens(tokens.TokenIds.ToArray(), tokens.LossMask.Select(m => (byte)m).ToArray());
        }
        else if (example.Messages.Count > 0)
        {
            encoded = ConversationMapper.Encode(example, rendering);
        }
        else
        {
            if (string.IsNullOrEmpty(example.Prompt))
                throw new InvalidExampleException(id, "the prompt is empty");
            if (string.IsNullOrEmpty(example.Response))
                throw new InvalidExampleException(id, "the response is empty");
            try
            {
                encoded = ChatTemplate.Build(rendering.Tokenizer, string.IsNullOrEmpty(example.System) ? null : example.System,
                    example.Prompt, example.Response, rendering.Format);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidExampleException(id, ex.Message);
            }
        }
        return (new TokenizedExample(id, encoded.Ids, encoded.LossMask), encoded);
    }
}
