using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>
/// One tokenizer trained (vocab 600) on ~300k characters of <see cref="BpeTrainingCorpus"/> and
/// written to a temporary folder, shared by <see cref="BpeTrainerTests"/>: loaded both by ours and
/// by HF's Rust tokenizer.
/// </summary>
public sealed class BpeTrainerFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public BpeTrainerFixture()
    {
        Corpus = BpeTrainingCorpus.Generate(300_000);
        Model = BpeTrainer.WriteFolder(_folder.Path, Corpus, Options);
        Ours = HfTokenizer.LoadFolder(_folder.Path);
        Reference = new Tokenizers.DotNet.Tokenizer(TokenizerJson);
    }

    public static BpeTrainerOptions Options { get; } = new() { VocabSize = 600 };

    public IReadOnlyList<string> Corpus { get; }

    public BpeModel Model { get; }

    public string TokenizerJson => Path.Combine(_folder.Path, "tokenizer.json");

    public HfTokenizer Ours { get; }

    public Tokenizers.DotNet.Tokenizer Reference { get; }

    public void Dispose()
    {
        Reference.Dispose();
        _folder.Dispose();
    }
}
