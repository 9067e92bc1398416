using System.Text.RegularExpressions;
using Infra.Aggregation.Reports;

namespace Infra.Aggregation.Tests.Reports;

public sealed partial class HtmlReportWriterTests
{
    private static readonly string[] SectionIds =
        ["summary", "domain-difficulty", "cross-domain", "behaviours", "token-rankings", "top-examples", "bottom-examples", "top-sequences", "reweighting"];

    private static ReportRunInfo Run => new()
    {
        Model = "m",
        Corpus = "c",
        Preconditioner = "EK-FAC",
        Created = new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero),
    };

    private static ReportModel Hostile => new()
    {
        Run = Run with { Title = "<b>title</b>" },
        TopExamples =
        [
            new ReportExample("ex<1>", "code", 2, 3.0,
            [
                new ReportToken("<script>", 2.0, true),
                new ReportToken("alert('x&y')", -1.0, true),
                new ReportToken("</script>", 0.0, false),
                new ReportToken("  \n\t", 1.0, true),
                new ReportToken("\"q\"\u0007", 1.0, true),
            ])
            {
                Sequences = [new SequenceBoundary(0, 8, "<kind>", 2.0), new SequenceBoundary(20, 11, "verification", 1.0)],
            },
        ],
        TokenRankings = [new TokenRankingSection("math", [new TokenRankingRow("<|im_end|>", "punctuation/syntax", 3, 1, 3)], [])],
    };

    [Fact]
    public void A_script_token_renders_as_text_never_as_markup()
    {
        var html = HtmlReportWriter.Render(Hostile);
        Assert.Contains(">&lt;script&gt;</span>", html, StringComparison.Ordinal);
        Assert.Contains(">alert(&#39;x&amp;y&#39;)</span>", html, StringComparison.Ordinal);
        Assert.Contains(">&lt;/script&gt;</span>", html, StringComparison.Ordinal);
        Assert.Contains(">&quot;q&quot;\\u0007</span>", html, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"report-title\">&lt;b&gt;title&lt;/b&gt;</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-example-id=\"ex&lt;1&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"&lt;kind&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"tokentext\">&lt;|im_end|&gt;</code>", html, StringComparison.Ordinal);
        // The only script element is the report's own.
        Assert.Equal(1, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', html);
    }

    [Fact]
    public void Whitespace_tokens_keep_their_spaces_tabs_and_newlines()
    {
        var html = HtmlReportWriter.Render(Hostile);
        var span = TokenSpan().Matches(html).Select(m => m.Value).Single(s => s.Contains("data-i=\"3\"", StringComparison.Ordinal));
        Assert.EndsWith(">  \n\t</span>", span, StringComparison.Ordinal);
        Assert.Contains("class=\"tok nl", span, StringComparison.Ordinal);
        Assert.Contains(".tokens { padding: 10px 12px; font: 13px/1.9 \"DejaVu Sans Mono\", \"Liberation Mono\", monospace; white-space: pre-wrap;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_spans_carry_the_score_in_title_and_data_and_are_coloured_by_the_examples_max_abs_score()
    {
        var html = HtmlReportWriter.Render(Hostile);
        var spans = TokenSpan().Matches(html).Select(m => m.Value).ToList();
        Assert.Equal(5, spans.Count);
        Assert.Contains("data-score=\"2\"", spans[0], StringComparison.Ordinal);
        Assert.Contains("title=\"2 (response)", spans[0], StringComparison.Ordinal);
        Assert.Contains("background:#b2182b;color:#fff", spans[0], StringComparison.Ordinal);
        Assert.Contains("background:#f4a582\"", spans[3], StringComparison.Ordinal); // 1 of max 2: half scale
        Assert.Contains("background:#92c5de\"", spans[1], StringComparison.Ordinal); // -1 of max 2
        Assert.Contains("class=\"tok prompt", spans[2], StringComparison.Ordinal);
        Assert.Contains("title=\"0 (prompt)", spans[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence_boundaries_open_at_the_token_holding_their_first_character_and_close_after_their_last()
    {
        var html = HtmlReportWriter.Render(Hostile);
        var tokens = html[html.IndexOf("<div class=\"tokens\">", StringComparison.Ordinal)..];
        tokens = tokens[..tokens.IndexOf("</div>", StringComparison.Ordinal)];
        // Token chars: "<script>" 0-7, "alert('x&y')" 8-19, "</script>" 20-28, "  \n\t" 29-32. Sequence 0 is chars 0-7
        // (token 0); sequence 1 is chars 20-30, so it opens at token 2 and ends inside token 3.
        var open0 = tokens.IndexOf("<span class=\"seq-start\" data-seq=\"0\"", StringComparison.Ordinal);
        var close0 = tokens.IndexOf("<span class=\"seq-end\" data-seq=\"0\"", StringComparison.Ordinal);
        var open1 = tokens.IndexOf("<span class=\"seq-start\" data-seq=\"1\"", StringComparison.Ordinal);
        var close1 = tokens.IndexOf("<span class=\"seq-end\" data-seq=\"1\"", StringComparison.Ordinal);
        Assert.True(open0 >= 0 && open0 < tokens.IndexOf("data-i=\"0\"", StringComparison.Ordinal));
        Assert.True(close0 > tokens.IndexOf("data-i=\"0\"", StringComparison.Ordinal) && close0 < tokens.IndexOf("data-i=\"1\"", StringComparison.Ordinal));
        Assert.True(open1 > tokens.IndexOf("data-i=\"1\"", StringComparison.Ordinal) && open1 < tokens.IndexOf("data-i=\"2\"", StringComparison.Ordinal));
        Assert.True(close1 > tokens.IndexOf("data-i=\"3\"", StringComparison.Ordinal) && close1 < tokens.IndexOf("data-i=\"4\"", StringComparison.Ordinal));
        Assert.Contains("title=\"verification sequence: score 1 (sum of its tokens)\"", tokens, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_model_renders_every_section_with_a_note_and_no_chart()
    {
        var html = HtmlReportWriter.Render(new ReportModel { Run = Run });
        foreach (var id in SectionIds)
        {
            Assert.Contains($"<section id=\"{id}\" data-section=\"{id}\">", html, StringComparison.Ordinal);
        }
        foreach (var empty in new[] { "domain-difficulty-math", "domain-difficulty-code", "cross-domain", "behaviours", "token-rankings-math", "token-rankings-code", "top-examples", "bottom-examples", "top-sequences", "reweighting" })
        {
            Assert.Contains($"data-empty=\"{empty}\"", html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        var folder = RepositoryPaths.Artifacts("empty-report");
        var files = HtmlReportWriter.Write(new ReportModel { Run = Run }, folder);
        Assert.Empty(files.Charts);
        Assert.Equal(html, File.ReadAllText(files.HtmlPath));
    }

    [Fact]
    public void A_run_without_code_queries_notes_it_and_still_charts_math()
    {
        var full = SampleReport.Build();
        var mathOnly = full with
        {
            DomainDifficulty = full.DomainDifficulty.Where(s => s.QueryDomain == "math").ToList(),
            CrossDomain = full.CrossDomain.Where(c => c.QueryDomain == "math").ToList(),
            Behaviours = full.Behaviours.Where(b => b.QueryDomain == "math").ToList(),
            TokenRankings = full.TokenRankings.Where(r => r.QueryDomain == "math").ToList(),
        };
        var html = HtmlReportWriter.Render(mathOnly);
        Assert.Contains("data-empty=\"domain-difficulty-code\">No code queries in this run.</p>", html, StringComparison.Ordinal);
        Assert.Contains("data-empty=\"token-rankings-code\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"chart-domain-difficulty-math\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"chart-domain-difficulty-code\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"table-tokens-math\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_is_self_contained()
    {
        var html = HtmlReportWriter.Render(SampleReport.Build());
        var urls = Regex.Matches(html, "(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", RegexOptions.IgnoreCase).Select(m => m.Value).Distinct().ToList();
        Assert.Equal(["http://www.w3.org"], urls); // the SVG namespace name, never fetched
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes_in_every_file()
    {
        var model = SampleReport.Build();
        var a = HtmlReportWriter.Write(model, RepositoryPaths.Artifacts("deterministic-a"));
        var b = HtmlReportWriter.Write(SampleReport.Build(), RepositoryPaths.Artifacts("deterministic-b"));
        Assert.Equal(File.ReadAllBytes(a.HtmlPath), File.ReadAllBytes(b.HtmlPath));
        Assert.Equal(a.Charts.Select(c => c.Name), b.Charts.Select(c => c.Name));
        foreach (var (x, y) in a.Charts.Zip(b.Charts))
        {
            Assert.Equal(File.ReadAllBytes(x.SvgPath), File.ReadAllBytes(y.SvgPath));
            Assert.Equal(File.ReadAllBytes(x.PngPath), File.ReadAllBytes(y.PngPath));
        }
        Assert.Equal(HtmlReportWriter.Render(model), File.ReadAllText(a.HtmlPath));
    }

    [Fact]
    public void The_sample_report_shows_every_example_token_and_sequence_and_the_writers_files()
    {
        var model = SampleReport.Build();
        var html = HtmlReportWriter.Render(model);
        foreach (var example in model.TopExamples.Concat(model.BottomExamples))
        {
            Assert.Contains($"data-example-id=\"{HtmlText.Escape(example.Id)}\"", html, StringComparison.Ordinal);
        }
        var tokenCount = model.TopExamples.Concat(model.BottomExamples).Sum(e => e.Tokens.Count);
        Assert.Equal(tokenCount, TokenSpan().Count(html));
        var sequenceCount = model.TopExamples.Concat(model.BottomExamples).Sum(e => e.Sequences.Count);
        Assert.Equal(sequenceCount, Regex.Count(html, "<span class=\"seq-start\""));
        Assert.Equal(sequenceCount, Regex.Count(html, "<span class=\"seq-end\""));
        Assert.Equal(model.TopSequences.Count, Regex.Count(html, "<td class=\"seqtext\">"));
    }

    [GeneratedRegex("<span class=\"tok[^\"]*\"[^>]*>[^<]*</span>")]
    private static partial Regex TokenSpan();
}
