namespace Infra.Core.Text;

/// <summary>
/// Renders a (system, prompt, response) example with a chat format and tokenizes it with a loss
/// mask over what the model must learn to write: the response and the token that ends it.
/// </summary>
/// <remarks>
/// The text before the response, the response, and the text after it are encoded separately and
/// the ids concatenated, so no token straddles the prompt/response border. This equals encoding
/// the whole rendered text except when the response (or, for <see cref="ChatFormat.Plain"/>, the
/// join of prompt and response) would merge across the border: in Qwen2.5, a response that starts
/// with a line break, whose "\n" would join the header's "\n" into one token. There the border is
/// kept, so the response's tokens are its own.
/// </remarks>
public static class ChatTemplate
{
    private const string ImStart = "<|im_start|>";
    private const string ImEnd = "<|im_end|>";

    /// <summary>Builds the example. <paramref name="options"/> defaults to <see cref="ChatTemplateOptions"/>' defaults.</summary>
    /// <param name="tok">Tokenizer; Qwen2.5 needs <c>&lt;|im_start|&gt;</c> and <c>&lt;|im_end|&gt;</c> in it.</param>
    /// <param name="system">System message; null uses <see cref="ChatTemplateOptions.DefaultSystemMessage"/> (Qwen2.5 only; Plain ignores it).</param>
    /// <param name="prompt">The user turn.</param>
    /// <param name="response">The assistant turn the model is trained on.</param>
    /// <param name="format">The rendering.</param>
    /// <param name="options">Default system message and EOS handling.</param>
    /// <exception cref="ArgumentException">The tokenizer lacks the format's tokens, or nothing would be trained on.</exception>
    public static EncodedExample Build(
        HfTokenizer tok, string? system, string prompt, string response, ChatFormat format, ChatTemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tok);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        options ??= new ChatTemplateOptions();
        var parts = format switch
        {
            ChatFormat.Qwen25 => Qwen25(tok, system ?? options.DefaultSystemMessage, prompt, response),
            ChatFormat.Plain => Plain(tok, prompt, response, options.AppendEos),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown chat format"),
        };
        return Assemble(tok, parts);
    }

    // Qwen2.5's template for [system, user, assistant]: the response and its <|im_end|> are
    // trained; the newline after <|im_end|> is the template's, not the model's to emit.
    private static TemplatePart[] Qwen25(HfTokenizer tok, string system, string prompt, string response)
    {
        foreach (var token in new[] { ImStart, ImEnd })
        {
            if (tok.TokenToId(token) is null)
                throw new ArgumentException($"the tokenizer has no {token} token, which the Qwen2.5 format needs", nameof(tok));
        }
        return
        [
            new($"{ImStart}system\n{system}{ImEnd}\n{ImStart}user\n{prompt}{ImEnd}\n{ImStart}assistant\n", Trained: false),
            new(response + ImEnd, Trained: true, IsResponse: true),
            new("\n", Trained: false),
        ];
    }

    private static TemplatePart[] Plain(HfTokenizer tok, string prompt, string response, bool appendEos)
    {
        var eos = appendEos && tok.EosTokenId is { } id ? tok.IdToToken(id) : "";
        return
        [
            new(prompt, Trained: false),
            new(response + eos, Trained: true, IsResponse: true),
        ];
    }

    private static EncodedExample Assemble(HfTokenizer tok, TemplatePart[] parts)
    {
        var ids = new List<int>();
        var mask = new List<byte>();
        var starts = new List<int>();
        var lengths = new List<int>();
        var rendered = new System.Text.StringBuilder();
        var responseStart = 0;
        foreach (var part in parts)
        {
            var offset = rendered.Length;
            if (part.IsResponse) responseStart = offset;
            var encoded = tok.Encode(part.Text);
            ids.AddRange(encoded.Ids);
            mask.AddRange(Enumerable.Repeat(part.Trained ? (byte)1 : (byte)0, encoded.Ids.Length));
            starts.AddRange(encoded.CharStarts.Select(s => s + offset));
            lengths.AddRange(encoded.CharLengths);
            rendered.Append(part.Text);
        }
        if (!mask.Contains(1))
            throw new ArgumentException("the example has no tokens to train on (empty response and no end token)");
        return new EncodedExample([.. ids], [.. mask], [.. starts], [.. lengths], rendered.ToString(), responseStart);
    }
}
