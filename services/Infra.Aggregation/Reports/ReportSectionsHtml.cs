using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Infra.Aggregation.Reports;

/// <summary>The report's sections as HTML; each opens a &lt;section&gt; with a stable id and writes a note when it has no data.</summary>
internal static class ReportSectionsHtml
{
    public static void Summary(StringBuilder html, ReportModel model)
    {
        var run = model.Run;
        Open(html, "summary", "Summary");
        html.Append("<dl class=\"run\">");
        Item(html, "model", "Model", run.Model);
        Item(html, "corpus", "Training corpus", run.Corpus);
        Item(html, "query-sets", "Query sets", run.QuerySets.Count == 0 ? "(none listed)" : string.Join(", ", run.QuerySets));
        Item(html, "query-domains", "Query domains", string.Join(", ", ReportDomains.QueryDomains(model)));
        Item(html, "preconditioner", "Preconditioner", run.Preconditioner);
        Item(html, "grouping", "Grouped by", string.Join(" x ", run.GroupBy));
        Item(html, "difficulty-scheme", "Difficulty levels", run.DifficultyScheme.Length > 0 ? run.DifficultyScheme : "(not stated)");
        Item(html, "fidelity", "Exact or approximate", run.Fidelity.Length > 0 ? run.Fidelity : "APPROXIMATE (compact store)");
        Item(html, "training-examples", "Training examples scored", ReportFormat.Count(run.TrainingExamples));
        Item(html, "training-tokens", "Training tokens scored", ReportFormat.Count(run.TrainingTokens));
        Item(html, "queries", "Queries", ReportFormat.Count(run.Queries));
        Item(html, "created", "Scored at", run.Created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        html.Append("</dl>\n");
        var highlights = Highlights(model).ToList();
        if (highlights.Count > 0)
        {
            html.Append("<h3>Highlights</h3><ul id=\"highlights\">");
            foreach (var h in highlights)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{h}</li>");
            }
            html.Append("</ul>\n");
        }
        html.Append("<p class=\"note\">How to read: a positive score means up-weighting that training data raises the log-likelihood of the queries' correct answers (helpful, red); negative means it lowers it (harmful, blue). ");
        html.Append("A token's score is its share of its example's score; a sequence's score is the sum of its tokens' scores, and an example's score the sum of all its tokens'.</p>\n");
        Close(html);
    }

    public static void DomainDifficulty(StringBuilder html, ReportModel model, IReadOnlyDictionary<string, NamedChart> charts)
    {
        var groupHeading = ReportGroups.GroupHeading(model);
        var subgroupHeading = ReportGroups.SubgroupHeading(model);
        Open(html, "domain-difficulty", ReportDomains.Title(subgroupHeading.Length > 0 ? $"{groupHeading} x {subgroupHeading}" : groupHeading));
        foreach (var queryDomain in ReportDomains.QueryDomains(model))
        {
            var slug = HtmlText.Slug(queryDomain);
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"qd-block\" data-query-domain=\"{HtmlText.Escape(queryDomain)}\"><h3>{HtmlText.Escape(ReportDomains.Title(queryDomain))} queries</h3>\n");
            var stats = model.DomainDifficulty.Where(s => s.QueryDomain == queryDomain)
                // Stable: within a group the model's order (the roll-up's: numbers ascending, "unlabelled" last) stands.
                .OrderBy(s => ReportDomains.TrainingDomains(model).ToList().IndexOf(s.TrainingDomain)).ToList();
            if (stats.Count == 0)
            {
                Empty(html, $"domain-difficulty-{slug}", $"No {queryDomain} queries in this run.");
                html.Append("</div>\n");
                continue;
            }
            Chart(html, charts, $"domain-difficulty-{slug}");
            html.Append(CultureInfo.InvariantCulture, $"<table class=\"stats\" id=\"table-domain-difficulty-{slug}\"><thead><tr><th>{HtmlText.Escape(groupHeading)}</th><th class=\"num\">{HtmlText.Escape(subgroupHeading)}</th><th class=\"num\">n</th><th class=\"num\">mean</th><th class=\"num\">median</th><th class=\"num\">sum</th><th class=\"num\">share positive</th><th class=\"num\">95% CI</th></tr></thead><tbody>\n");
            foreach (var s in stats)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{HtmlText.Escape(s.TrainingDomain)}</td><td class=\"num\">{HtmlText.Escape(s.Subgroup)}</td><td class=\"num\">{ReportFormat.Count(s.N)}</td>{ScoreCell(s.Mean)}{ScoreCell(s.Median)}{ScoreCell(s.Sum)}<td class=\"num\">{ReportFormat.Percent(s.SharePositive)}</td><td class=\"num\">{ReportFormat.Score(s.CiLow)} to {ReportFormat.Score(s.CiHigh)}</td></tr>\n");
            }
            html.Append("</tbody></table></div>\n");
        }
        Close(html);
    }

    public static void CrossDomain(StringBuilder html, ReportModel model, IReadOnlyDictionary<string, NamedChart> charts)
    {
        Open(html, "cross-domain", "Cross-domain influence");
        if (model.CrossDomain.Count == 0)
            Empty(html, "cross-domain", "No cross-domain scores in this run.");
        else
        {
            html.Append("<p class=\"note\">Does code training data help math queries, and the other way round? Each cell is the mean example score; the colour scale is symmetric around 0.</p>\n");
            Chart(html, charts, "cross-domain");
        }
        Close(html);
    }

    public static void Behaviours(StringBuilder html, ReportModel model, IReadOnlyDictionary<string, NamedChart> charts)
    {
        Open(html, "behaviours", "Reasoning behaviours");
        if (model.Behaviours.Count == 0)
        {
            Empty(html, "behaviours", "No behaviour-tagged sequences in this run.");
            Close(html);
            return;
        }
        html.Append("<p class=\"note\">Sequences tagged as exploration, verification or backtracking against untagged sequences of the same query domain. The difference is in mean score per token (tagged minus untagged), which is fair to sequences of different length.</p>\n");
        Chart(html, charts, "behaviours");
        html.Append("<table class=\"stats\" id=\"table-behaviours\"><thead><tr><th>query domain</th><th>behaviour</th><th class=\"num\">n tagged</th><th class=\"num\">mean / sequence</th><th class=\"num\">mean / token</th><th class=\"num\">n untagged</th><th class=\"num\">mean / sequence</th><th class=\"num\">mean / token</th><th class=\"num\">difference / token</th><th class=\"num\">95% CI</th></tr></thead><tbody>\n");
        var order = ReportDomains.QueryDomains(model).ToList();
        foreach (var b in model.Behaviours.OrderBy(b => order.IndexOf(b.QueryDomain)))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-query-domain=\"{HtmlText.Escape(b.QueryDomain)}\" data-behaviour=\"{HtmlText.Escape(b.Behaviour)}\"><td>{HtmlText.Escape(b.QueryDomain)}</td><td>{HtmlText.Escape(b.Behaviour)}</td><td class=\"num\">{ReportFormat.Count(b.TaggedN)}</td>{ScoreCell(b.TaggedMeanPerSequence)}{ScoreCell(b.TaggedMeanPerToken)}<td class=\"num\">{ReportFormat.Count(b.UntaggedN)}</td>{ScoreCell(b.UntaggedMeanPerSequence)}{ScoreCell(b.UntaggedMeanPerToken)}{ScoreCell(b.Difference)}<td class=\"num\">{ReportFormat.Score(b.DifferenceCiLow)} to {ReportFormat.Score(b.DifferenceCiHigh)}</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
        Close(html);
    }

    public static void TokenRankings(StringBuilder html, ReportModel model, IReadOnlyDictionary<string, NamedChart> charts)
    {
        Open(html, "token-rankings", "Token rankings");
        html.Append("<p class=\"note\">Training tokens ranked by their summed score over all occurrences, per query domain, with their category. Whitespace is shown as ␣ (space), ↵ (newline) and → (tab).</p>\n<div class=\"side-by-side\">\n");
        foreach (var queryDomain in ReportDomains.QueryDomains(model))
        {
            var slug = HtmlText.Slug(queryDomain);
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"ranking\" id=\"ranking-{slug}\" data-query-domain=\"{HtmlText.Escape(queryDomain)}\"><h3>{HtmlText.Escape(ReportDomains.Title(queryDomain))} queries</h3>\n");
            var ranking = model.TokenRankings.FirstOrDefault(r => r.QueryDomain == queryDomain);
            if (ranking is null || (ranking.Tokens.Count == 0 && ranking.Categories.Count == 0))
            {
                Empty(html, $"token-rankings-{slug}", $"No token scores for {queryDomain} queries in this run.");
                html.Append("</div>\n");
                continue;
            }
            Chart(html, charts, $"tokens-{slug}");
            html.Append(CultureInfo.InvariantCulture, $"<table class=\"ranking-table\" id=\"table-tokens-{slug}\"><thead><tr><th class=\"num\">#</th><th>token</th><th>category</th><th class=\"num\">count</th><th class=\"num\">mean</th><th class=\"num\">sum</th></tr></thead><tbody>\n");
            for (var i = 0; i < ranking.Tokens.Count; i++)
            {
                var t = ranking.Tokens[i];
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr data-token=\"{HtmlText.Escape(t.Token)}\" data-category=\"{HtmlText.Escape(t.Category)}\"><td class=\"num\">{i + 1}</td><td><code class=\"tokentext\">{HtmlText.Escape(HtmlText.Visible(t.Token))}</code></td><td>{HtmlText.Escape(t.Category)}</td><td class=\"num\">{ReportFormat.Count(t.Count)}</td>{ScoreCell(t.Mean)}{ScoreCell(t.Sum)}</tr>\n");
            }
            html.Append("</tbody></table>\n");
            Chart(html, charts, $"token-categories-{slug}");
            html.Append(CultureInfo.InvariantCulture, $"<table class=\"category-table\" id=\"table-categories-{slug}\"><thead><tr><th>category</th><th class=\"num\">count</th><th class=\"num\">mean</th><th class=\"num\">sum</th></tr></thead><tbody>\n");
            foreach (var c in ranking.Categories)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr data-category=\"{HtmlText.Escape(c.Category)}\"><td>{HtmlText.Escape(c.Category)}</td><td class=\"num\">{ReportFormat.Count(c.Count)}</td>{ScoreCell(c.Mean)}{ScoreCell(c.Sum)}</tr>\n");
            }
            html.Append("</tbody></table></div>\n");
        }
        html.Append("</div>\n");
        Close(html);
    }

    public static void Examples(StringBuilder html, string id, string heading, IReadOnlyList<ReportExample> examples, string list)
    {
        Open(html, id, heading);
        if (examples.Count == 0)
        {
            Empty(html, id, "No examples in this list.");
            Close(html);
            return;
        }
        html.Append("<div class=\"legend\"><span>harmful</span><span class=\"ramp\"></span><span>helpful</span><span>· each example scaled to its largest |token score| · dimmed: prompt (not trained on) · labelled markers open sequences, dashed lines close them</span>");
        html.Append(CultureInfo.InvariantCulture, $"<label class=\"toggle\"><input type=\"checkbox\" id=\"hide-prompts{(list == "top" ? "" : "-" + list)}\" class=\"hide-prompts\"> hide prompts</label></div>\n");
        for (var i = 0; i < examples.Count; i++)
        {
            TokenHeatMapHtml.Write(html, examples[i], list, i + 1);
        }
        Close(html);
    }

    public static void TopSequences(StringBuilder html, ReportModel model)
    {
        Open(html, "top-sequences", "Most helpful sequences");
        if (model.TopSequences.Count == 0)
        {
            Empty(html, "top-sequences", "No sequence scores in this run.");
            Close(html);
            return;
        }
        html.Append("<table class=\"stats\" id=\"table-top-sequences\"><thead><tr><th class=\"num\">#</th><th>sequence</th><th class=\"num\">score</th><th>tags</th><th>example</th></tr></thead><tbody>\n");
        for (var i = 0; i < model.TopSequences.Count; i++)
        {
            var s = model.TopSequences[i];
            var example = s.ExampleId is null ? "" : HtmlText.Escape(s.ExampleId) + (s.Domain is null ? "" : $" ({HtmlText.Escape(s.Domain)})");
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-rank=\"{i + 1}\"><td class=\"num\">{i + 1}</td><td class=\"seqtext\">{HtmlText.Escape(s.Text)}</td>{ScoreCell(s.Score)}<td>{HtmlText.Escape(s.Tags.Count == 0 ? "untagged" : string.Join(", ", s.Tags))}</td><td>{example}</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
        Close(html);
    }

    public static void Reweighting(StringBuilder html, ReportModel model, IReadOnlyDictionary<string, NamedChart> charts)
    {
        Open(html, "reweighting", "Reweighting");
        if (model.Reweighting is not { Cells.Count: > 0 } summary)
        {
            Empty(html, "reweighting", "No reweighting was computed for this run.");
            Close(html);
            return;
        }
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{HtmlText.Escape(summary.Description)}</p>\n");
        Chart(html, charts, "reweighting");
        html.Append("<table class=\"stats\" id=\"table-reweighting\"><thead><tr><th>{HtmlText.Escape(ReportGroups.GroupHeading(model))}</th><th class=\"num\">{HtmlText.Escape(ReportGroups.SubgroupHeading(model))}</th><th class=\"num\">old share</th><th class=\"num\">new share</th><th class=\"num\">change</th><th class=\"num\">mean weight</th></tr></thead><tbody>\n");
        foreach (var c in summary.Cells)
        {
            var change = (c.NewShare - c.OldShare) * 100;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{HtmlText.Escape(c.TrainingDomain)}</td><td class=\"num\">{HtmlText.Escape(c.Subgroup)}</td><td class=\"num\">{ReportFormat.Percent(c.OldShare)}</td><td class=\"num\">{ReportFormat.Percent(c.NewShare)}</td><td class=\"num {(change >= 0 ? "pos" : "neg")}\">{change.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} pp</td><td class=\"num\">{c.MeanWeight.ToString("0.###", CultureInfo.InvariantCulture)}</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
        Close(html);
    }

    private static IEnumerable<string> Highlights(ReportModel model)
    {
        foreach (var queryDomain in ReportDomains.QueryDomains(model))
        {
            var best = model.DomainDifficulty.Where(s => s.QueryDomain == queryDomain && double.IsFinite(s.Mean)).OrderByDescending(s => s.Mean).FirstOrDefault();
            if (best is not null)
                yield return $"{HtmlText.Escape(ReportDomains.Title(queryDomain))} queries: the highest mean score comes from {HtmlText.Escape(ReportGroups.Sentence(model, best.TrainingDomain, best.Subgroup))} (mean {ReportFormat.Score(best.Mean)}, 95% CI {ReportFormat.Score(best.CiLow)} to {ReportFormat.Score(best.CiHigh)}, n = {ReportFormat.Count(best.N)}).";
        }
        if (model.TopExamples.Count > 0)
        {
            var top = model.TopExamples[0];
            yield return $"Most helpful example: <a href=\"#top-example-1\"><code>{HtmlText.Escape(top.Id)}</code></a> ({HtmlText.Escape(top.Domain)}, difficulty {top.Difficulty}, score {ReportFormat.Score(top.Score)}).";
        }
    }

    private static void Open(StringBuilder html, string id, string heading) =>
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"{id}\" data-section=\"{id}\">\n<h2>{HtmlText.Escape(heading)}</h2>\n");

    private static void Close(StringBuilder html) => html.Append("</section>\n");

    private static void Empty(StringBuilder html, string what, string note) =>
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"empty\" data-empty=\"{what}\">{HtmlText.Escape(note)}</p>\n");

    private static void Item(StringBuilder html, string key, string label, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{HtmlText.Escape(label)}</dt><dd data-run=\"{key}\">{HtmlText.Escape(value)}</dd>");

    private static void Chart(StringBuilder html, IReadOnlyDictionary<string, NamedChart> charts, string name)
    {
        if (!charts.TryGetValue(name, out var chart))
            return;
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart-figure\" id=\"chart-{name}\" data-chart-name=\"{name}\">");
        html.Append(chart.Svg.ToString(SaveOptions.DisableFormatting));
        html.Append("</figure>\n");
    }

    private static string ScoreCell(double value) =>
        $"<td class=\"num {(value > 0 ? "pos" : value < 0 ? "neg" : "")}\">{ReportFormat.Score(value)}</td>";
}
