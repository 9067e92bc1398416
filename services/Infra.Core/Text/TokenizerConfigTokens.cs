namespace Infra.Core.Text;

/// <summary>The token texts read from tokenizer_config.json, and that file's path for error messages.</summary>
internal sealed record TokenizerConfigTokens(string? Eos, string? Pad, string? Source);
