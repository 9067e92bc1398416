namespace Infra.Core.Text;

/// <summary>
/// A tokenizer file that cannot be used. The message names the file and the reason
/// (missing, not valid JSON, not a BPE model, missing vocab or merges, ...).
/// </summary>
public sealed class TokenizerException : Exception
{
    public TokenizerException(string message) : base(message) { }

    public TokenizerException(string message, Exception inner) : base(message, inner) { }
}
