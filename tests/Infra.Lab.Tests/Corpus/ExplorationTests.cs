using Infra.Corpus;
using Infra.Lab.Corpus;

namespace Infra.Lab.Tests.Corpus;

public class ExplorationTests
{
    private static readonly string[] Openers = ["Alternatively, ", "Wait, let me verify", "Let me double-check", "Hmm, my first thought"];

    [Fact]
    public void Stripping_the_tagged_spans_leaves_a_solution_that_still_checks()
    {
        var tagged = GeneratedExamples.All.Where(e => e.Spans.Count > 0).ToList();
        Assert.NotEmpty(tagged);
        foreach (var example in tagged)
        {
            var stripped = ExplorationAblation.Strip(example.Response, example.Spans);
            Assert.True(stripped.Length < example.Response.Length);
            Assert.True(AnswerChecker.Check(example, stripped).Correct, $"{example.Id}:\n{stripped}");
            Assert.DoesNotContain(Openers, opener => stripped.Contains(opener, StringComparison.Ordinal));
            Assert.DoesNotContain("\n\n", stripped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Spans_cover_whole_lines_that_open_with_their_behaviour()
    {
        foreach (var example in GeneratedExamples.All)
        {
            foreach (var span in example.Spans)
            {
                var text = example.Response.Substring(span.Start, span.Length);
                Assert.True(span.Start == 0 || example.Response[span.Start - 1] == '\n', example.Id);
                var opener = span.Kind switch
                {
                    SpanKind.Exploration => "Alternatively, ",
                    SpanKind.Backtracking => "Hmm, my first thought",
                    _ => text.StartsWith("Let me", StringComparison.Ordinal) ? "Let me double-check" : "Wait, let me verify",
                };
                Assert.StartsWith(opener, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void About_the_configured_share_of_math_solutions_explore_and_all_three_kinds_occur()
    {
        var math = GeneratedExamples.All.Where(e => e.Domain == ReasoningDomain.Math).ToList();
        var share = math.Count(e => e.Spans.Count > 0) / (double)math.Count;
        Assert.InRange(share, 0.25, 0.35);
        var kinds = math.SelectMany(e => e.Spans).Select(s => s.Kind).ToHashSet();
        Assert.Equal([SpanKind.Exploration, SpanKind.Verification, SpanKind.Backtracking], kinds.Order());
    }

    [Fact]
    public void A_zero_share_gives_no_spans_and_stripping_only_one_kind_keeps_the_others()
    {
        Assert.All(GeneratedExamples.Generate(seed: 5, perCell: 20, explorationShare: 0), e => Assert.Empty(e.Spans));
        var example = GeneratedExamples.All.First(e => e.Spans.Select(s => s.Kind).Distinct().Count() >= 2);
        var kind = example.Spans[0].Kind;
        var stripped = ExplorationAblation.Strip(example.Response, example.Spans, new HashSet<SpanKind> { kind });
        var others = example.Spans.Where(s => s.Kind != kind).ToList();
        Assert.All(others, s => Assert.Contains(example.Response.Substring(s.Start, s.Length).TrimEnd('\n'), stripped, StringComparison.Ordinal));
    }
}
