namespace Infra.Core.Tests.Text;

/// <summary>Calls HF's Rust tokenizer (Tokenizers.DotNet) and returns ids as ints.</summary>
internal static class ReferenceTokenizer
{
    public static int[] EncodeIds(this Tokenizers.DotNet.Tokenizer tokenizer, string text) =>
        tokenizer.Encode(text).Select(id => checked((int)id)).ToArray();
}
