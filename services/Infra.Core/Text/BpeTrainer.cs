namespace Infra.Core.Text;

/// <summary>
/// Trains a byte-level BPE tokenizer in Qwen2's format (NFC, Qwen2's split regex, GPT-2's byte
/// alphabet) from text, as HF's <c>BpeTrainer</c> with a ByteLevel initial alphabet does; the result
/// loads in HF's tokenizers and in <see cref="HfTokenizer"/>.
/// </summary>
/// <remarks>
/// Texts are NFC-normalized, special tokens are cut out (never learned from), the rest is split by
/// Qwen2's regex into pieces, and the most frequent adjacent pair of tokens within pieces is merged
/// until <see cref="BpeTrainerOptions.VocabSize"/> is reached. A tie in count goes to the pair whose
/// left token has the lower id, then the lower right id (bytes have their byte value as id, learned
/// tokens follow in the order learned); HF numbers bytes in their characters' code-point order, so on
/// ties it may pick differently.
/// Special tokens get the ids after the learned vocabulary, as Qwen's do; with no merges that is
/// <see cref="ByteLevelTokenizerJson.Create"/>'s layout. The same texts and options always give
/// byte-identical files.
/// </remarks>
public static class BpeTrainer
{
    /// <summary>Learns a vocabulary and merges from <paramref name="texts"/>.</summary>
    /// <param name="texts">The training corpus, read once.</param>
    /// <param name="options">Settings; null for the defaults of <see cref="BpeTrainerOptions"/>.</param>
    /// <exception cref="ArgumentException">Invalid options (see <see cref="BpeTrainerOptions.Validate"/>).</exception>
    public static BpeModel Train(IEnumerable<string> texts, BpeTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new BpeTrainerOptions();
        options.Validate();
        var specials = options.SpecialTokens.ToArray();

        var counter = new BpeWordCounter(specials);
        foreach (var text in texts)
            counter.Add(text);
        var loop = new BpeMergeLoop(counter.ToWords());
        loop.Run(options.VocabSize - specials.Length, options.MinFrequency);
        return new BpeModel(loop.Vocab.ToArray(), loop.Merges.ToArray(), specials);
    }

    /// <summary>
    /// Trains on <paramref name="texts"/> and writes <c>tokenizer.json</c> and
    /// <c>tokenizer_config.json</c> (<see cref="BpeTrainerOptions.EosToken"/> and
    /// <see cref="BpeTrainerOptions.PadToken"/>) into <paramref name="folder"/>, creating it if needed
    /// and replacing those files; <see cref="HfTokenizer.LoadFolder"/> reads it back.
    /// </summary>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">Invalid options (see <see cref="BpeTrainerOptions.Validate"/>).</exception>
    public static BpeModel WriteFolder(string folder, IEnumerable<string> texts, BpeTrainerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new BpeTrainerOptions();
        var model = Train(texts, options);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), model.ToTokenizerJson());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), ByteLevelTokenizerJson.CreateConfig(options.EosToken, options.PadToken));
        return model;
    }
}
