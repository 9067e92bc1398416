using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Mapping;

/// <summary>Turns a proto <see cref="Example"/> into tokens + loss mask (and the rendered text, for reports).</summary>
internal static class ExampleMapper
{
    /// <exception cref="InvalidExampleException">Missing id, empty prompt/response, or an invalid token list.</exception>
    public static (TokenizedExample Tokens, EncodedExample Encoded) Map(Example example, HfTokenizer tokenizer, Core.Text.ChatFormat format)
    {
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
        else
        {
            if (string.IsNullOrEmpty(example.Prompt))
                throw new InvalidExampleException(id, "the prompt is empty");
            if (string.IsNullOrEmpty(example.Response))
                throw new InvalidExampleException(id, "the response is empty");
            try
            {
                encoded = ChatTemplate.Build(tokenizer, string.IsNullOrEmpty(example.System) ? null : example.System,
                    example.Prompt, example.Response, format);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidExampleException(id, ex.Message);
            }
        }
        return (new TokenizedExample(id, encoded.Ids, encoded.LossMask), encoded);
    }
}
