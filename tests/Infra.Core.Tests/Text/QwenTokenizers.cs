using Infra.Core.Text;

namespace Infra.Core.Tests.Text;

/// <summary>
/// The real Qwen tokenizer, loaded once per test run: ours (<see cref="Ours"/>) and HF's Rust one
/// (<see cref="Reference"/>). Loading 151k tokens takes seconds, so every test class shares it.
/// Accessing either throws, naming eng/fetch-qwen-tokenizer.sh, when the files have not been fetched.
/// </summary>
internal static class QwenTokenizers
{
    private static readonly Lazy<HfTokenizer> LazyOurs = new(() => HfTokenizer.LoadFolder(QwenTokenizerFolder.Locate()));

    // Lives for the whole test process; the native handle is released when the process exits.
    private static readonly Lazy<Tokenizers.DotNet.Tokenizer> LazyReference =
        new(() => new Tokenizers.DotNet.Tokenizer(Path.Combine(QwenTokenizerFolder.Locate(), "tokenizer.json")));

    public static HfTokenizer Ours => LazyOurs.Value;

    public static Tokenizers.DotNet.Tokenizer Reference => LazyReference.Value;
}
