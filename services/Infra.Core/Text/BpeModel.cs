namespace Infra.Core.Text;

/// <summary>
/// A trained byte-level BPE tokenizer: <see cref="Vocab"/>[i] has id i (the 256 byte tokens by byte
/// value, then learned tokens in the order learned), merges in priority order, and special tokens
/// with ids from <c>Vocab.Count</c> on.
/// </summary>
/// <param name="Vocab">Token strings in GPT-2's byte-to-unicode alphabet (space is "Ġ"), index = id.</param>
/// <param name="Merges">The learned merges, first learned first applied.</param>
/// <param name="SpecialTokens">Added tokens; special token i has id <c>Vocab.Count + i</c>.</param>
public sealed record BpeModel(IReadOnlyList<string> Vocab, IReadOnlyList<BpeMerge> Merges, IReadOnlyList<string> SpecialTokens)
{
    /// <summary>Ids in all: vocabulary plus special tokens.</summary>
    public int VocabSize => Vocab.Count + SpecialTokens.Count;

    /// <summary>HF tokenizer.json text, laid out as <see cref="ByteLevelTokenizerJson.Create"/>'s.</summary>
    public string ToTokenizerJson() => ByteLevelTokenizerJson.Write(Vocab, Merges, SpecialTokens);
}
