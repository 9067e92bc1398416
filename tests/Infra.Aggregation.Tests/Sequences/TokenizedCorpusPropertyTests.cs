using Infra.Aggregation.Sequences;
using Infra.Core.Text;
using Infra.Corpus;

namespace Infra.Aggregation.Tests.Sequences;

/// <summary>
/// Property checks over real data: every response of a generated lab corpus and of the default
/// model's query files, rendered and tokenized with the default model's own tokenizer.
/// </summary>
public sealed class TokenizedCorpusPropertyTests
{
    [Fact]
    public void Every_generated_lab_response_maps_each_token_once_with_sums_preserved()
    {
        var checkedTokens = 0;
        foreach (var example in TestData.Corpus)
        {
            checkedTokens += Check(example.Prompt, example.Response, SegmentationModes.For(example.Domain), example.Id);
        }
        Assert.True(TestData.Corpus.Count >= 300);
        Assert.True(checkedTokens > 10_000, $"only {checkedTokens} tokens checked");
    }

    [Theory]
    [InlineData("queries-math.jsonl")]
    [InlineData("queries-code.jsonl")]
    [InlineData("corpus/queries-math.jsonl")]
    [InlineData("corpus/queries-code.jsonl")]
    public void Every_default_model_query_maps_each_token_once_with_sums_preserved(string file)
    {
        var read = CorpusReader.ReadFile(Path.Combine(TestData.DefaultModelFolder, file));
        Assert.True(read.IsValid);
        Assert.NotEmpty(read.Records);
        foreach (var record in read.Records)
            Check(record.Prompt, record.Response, SegmentationModes.For(record.Domain), record.Id);
    }

    private static int Check(string prompt, string response, SegmentationMode mode, string id)
    {
        var example = ChatTemplate.Build(TestData.Tokenizer, null, prompt, response, ChatFormat.Qwen25);
        var scored = ScoredTokens.FromEncoded(example, MapAssert.RandomScores(example.Ids.Length, 2, id.Sum(c => (int)c)), 2);
        var map = SequenceTokenMap.Build(scored, mode);
        MapAssert.Consistent(map);
        Assert.Equal(example.ResponseCharStart, map.Segmentation.Start);
        Assert.Equal(response.Length, map.Segmentation.Length);
        Assert.Equal(response, string.Concat(map.Segmentation.Sequences.Select(s => example.RenderedText.Substring(s.Start, s.Length))));
        return example.LossMask.Count(m => m == 1);
    }
}
