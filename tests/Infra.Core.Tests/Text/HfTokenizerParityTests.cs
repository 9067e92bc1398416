using System.Diagnostics;
using Xunit.Abstractions;

namespace Infra.Core.Tests.Text;

/// <summary>Ids from <see cref="Infra.Core.Text.HfTokenizer"/> equal HF's Rust tokenizer's on the real Qwen tokenizer.</summary>
public sealed class HfTokenizerParityTests(ITestOutputHelper output)
{
    [Fact]
    public void Ids_equal_HF_Rust_tokenizer_on_varied_corpus()
    {
        var corpus = TokenizerCorpus.Generate();
        Assert.True(corpus.Count >= 1000);
        var watch = Stopwatch.StartNew();
        var mismatches = new List<string>();
        foreach (var text in corpus)
        {
            var ours = QwenTokenizers.Ours.Encode(text).Ids;
            var reference = QwenTokenizers.Reference.EncodeIds(text);
            if (!ours.SequenceEqual(reference))
            {
                mismatches.Add($"\"{TokenizerCorpus.Escape(text)}\"\n  ours: [{string.Join(", ", ours)}]\n  HF:   [{string.Join(", ", reference)}]");
            }
        }
        output.WriteLine($"{corpus.Count} strings compared in {watch.ElapsedMilliseconds} ms");
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {corpus.Count} strings differ. First: {mismatches.FirstOrDefault()}\n" +
            string.Join("\n", mismatches.Skip(1).Take(10)));
    }
}
