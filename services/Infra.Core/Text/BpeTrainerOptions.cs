namespace Infra.Core.Text;

/// <summary>Settings for <see cref="BpeTrainer"/>; <see cref="Validate"/> checks them before training.</summary>
public sealed class BpeTrainerOptions
{
    /// <summary>Qwen's three special tokens, in Qwen's id order.</summary>
    public static readonly IReadOnlyList<string> QwenSpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>
    /// Ids in all: the 256 byte tokens, the learned tokens and the special tokens. Training stops
    /// early, with fewer, when no pair occurs <see cref="MinFrequency"/> times. Defaults to 1,024.
    /// </summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>
    /// Added tokens matched whole in text, never split or merged, with ids right after the learned
    /// vocabulary in this order. Defaults to <see cref="QwenSpecialTokens"/>.
    /// </summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = QwenSpecialTokens;

    /// <summary>The fewest occurrences a pair needs to be merged. Defaults to 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>tokenizer_config.json's <c>eos_token</c>; must be a special token. Defaults to <c>&lt;|im_end|&gt;</c> (Qwen's chat models).</summary>
    public string EosToken { get; init; } = "<|im_end|>";

    /// <summary>tokenizer_config.json's <c>pad_token</c>; must be a special token. Defaults to <c>&lt;|endoftext|&gt;</c>.</summary>
    public string PadToken { get; init; } = "<|endoftext|>";

    /// <summary>Throws when the options cannot describe a tokenizer.</summary>
    /// <exception cref="ArgumentException">
    /// Empty or repeated special tokens, <see cref="VocabSize"/> below 256 plus the special tokens,
    /// <see cref="MinFrequency"/> below 1, or an EOS or PAD token that is not a special token.
    /// </exception>
    public void Validate()
    {
        ByteLevelTokenizerJson.CheckSpecialTokens(SpecialTokens, nameof(SpecialTokens));
        var smallest = 256 + SpecialTokens.Count;
        if (VocabSize < smallest)
            throw new ArgumentException($"VocabSize {VocabSize} is below the 256 byte tokens plus {SpecialTokens.Count} special tokens ({smallest})", nameof(VocabSize));
        if (MinFrequency < 1)
            throw new ArgumentException($"MinFrequency must be at least 1, not {MinFrequency}", nameof(MinFrequency));
        if (!SpecialTokens.Contains(EosToken, StringComparer.Ordinal))
            throw new ArgumentException($"EosToken '{EosToken}' is not one of the special tokens", nameof(EosToken));
        if (!SpecialTokens.Contains(PadToken, StringComparer.Ordinal))
            throw new ArgumentException($"PadToken '{PadToken}' is not one of the special tokens", nameof(PadToken));
    }
}
