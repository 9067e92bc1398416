using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>
/// The Qwen tokenizer loaded once for a test class: ours (<see cref="Ours"/>) and HF's Rust one
/// (<see cref="Reference"/>). Loading 151k tokens takes about a second, so it is shared.
/// </summary>
public sealed class QwenTokenizers : IDisposable
{
    private readonly Lazy<(HfTokenizer Ours, Tokenizers.DotNet.Tokenizer Reference)> _loaded = new(() =>
    {
        var folder = QwenTokenizerFolder.Locate();
        return (HfTokenizer.LoadFolder(folder), new Tokenizers.DotNet.Tokenizer(Path.Combine(folder, "tokenizer.json")));
    });

    /// <summary>Throws, naming eng/fetch-qwen-tokenizer.sh, when the tokenizer has not been fetched.</summary>
    public HfTokenizer Ours => _loaded.Value.Ours;

    public Tokenizers.DotNet.Tokenizer Reference => _loaded.Value.Reference;

    public void Dispose()
    {
        if (_loaded.IsValueCreated && _loaded.Value.Reference is IDisposable d)
            d.Dispose();
    }
}
