using Infra.Core.Text;

namespace Infra.Aggregation.Tests.Reports;

public sealed class SampleReportTests
{
    [Fact]
    public void Sample_tokens_are_the_real_chat_rendering_and_scores_add_up()
    {
        var tokenizer = HfTokenizer.LoadFolder(RepositoryPaths.DefaultModel);
        foreach (var (record, view) in SampleReport.Examples.Take(20))
        {
            var encoded = ChatTemplate.Build(tokenizer, null, record.Prompt, record.Response, ChatFormat.Qwen25);
            Assert.Equal(encoded.RenderedText, SampleReport.Text(view));
            Assert.Equal(view.Tokens.Sum(t => t.Score), view.Score, 12);
            var text = SampleReport.Text(view);
            var starts = view.Tokens.Select((t, i) => view.Tokens.Take(i).Sum(u => u.Text.Length)).ToArray();
            foreach (var s in view.Sequences)
            {
                var expected = Enumerable.Range(0, view.Tokens.Count).Where(i => starts[i] >= s.Start && starts[i] < s.Start + s.Length).Sum(i => view.Tokens[i].Score);
                Assert.Equal(expected, s.Score, 12);
                Assert.True(s.Start + s.Length <= text.Length);
            }
        }
    }
}
