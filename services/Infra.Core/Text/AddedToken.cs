namespace Infra.Core.Text;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>: matched whole in the input, never split by BPE.</summary>
/// <param name="Id">Token id (Qwen's start at 151,643).</param>
/// <param name="Content">The literal text, e.g. <c>&lt;|im_end|&gt;</c>.</param>
/// <param name="Special">HF's <c>special</c> flag (control tokens such as <c>&lt;|im_start|&gt;</c>).</param>
/// <param name="Normalized">HF's <c>normalized</c> flag: matched in the normalized text rather than in the raw text
/// (false for every added token of Qwen's files; HF's default is true for non-special tokens).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool Normalized = false);
