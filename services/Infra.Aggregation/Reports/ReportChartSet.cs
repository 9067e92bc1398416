using Infra.Aggregation.Reports.Charts;

namespace Infra.Aggregation.Reports;

/// <summary>Builds the report's chart specifications from the model; one method per chart kind, null when there is no data.</summary>
internal static class ReportChartSet
{
    /// <summary>How many ranked tokens a token chart shows (tables show all).</summary>
    public const int TokensCharted = 15;

    public static NamedChart? DomainDifficulty(ReportModel model, string queryDomain)
    {
        var stats = model.DomainDifficulty.Where(s => s.QueryDomain == queryDomain).ToList();
        if (stats.Count == 0)
            return null;
        // The model's order: the roll-up's (numbers ascending, "unlabelled" last).
        var difficulties = stats.Select(s => s.Subgroup).Distinct(StringComparer.Ordinal).ToList();
        var trainingDomains = ReportDomains.TrainingDomains(model);
        var series = new List<BarSeries>();
        for (var i = 0; i < trainingDomains.Count; i++)
        {
            var domain = trainingDomains[i];
            if (!stats.Any(s => s.TrainingDomain == domain))
                continue;
            DomainDifficultyStat? Cell(string d) => stats.FirstOrDefault(s => s.TrainingDomain == domain && s.Subgroup == d);
            series.Add(new BarSeries($"{domain} training", difficulties.Select(d => Cell(d)?.Mean ?? double.NaN).ToList(), ReportDomains.Color(i))
            {
                CiLow = difficulties.Select(d => Cell(d)?.CiLow ?? double.NaN).ToList(),
                CiHigh = difficulties.Select(d => Cell(d)?.CiHigh ?? double.NaN).ToList(),
            });
        }
        var chart = new GroupedBarChart(
            $"{ReportDomains.Title(queryDomain)} queries: mean score by {ReportGroups.GroupHeading(model)}"
                + (ReportGroups.SubgroupHeading(model) is { Length: > 0 } sub ? $" and {sub}" : "") + " (95% CI)",
            "mean example score",
            difficulties.Select(d => d.Length == 0 ? "all" : $"{ReportGroups.SubgroupHeading(model)} {d}").ToList(),
            series);
        return new NamedChart($"domain-difficulty-{HtmlText.Slug(queryDomain)}", SvgCharts.GroupedBars(chart));
    }

    public static NamedChart? CrossDomain(ReportModel model)
    {
        if (model.CrossDomain.Count == 0)
            return null;
        var rows = ReportDomains.QueryDomains(model).Where(q => model.CrossDomain.Any(c => c.QueryDomain == q)).ToList();
        var columns = ReportDomains.TrainingDomains(model)
            .SelectMany(t => model.CrossDomain.Where(c => c.TrainingDomain == t).Select(c => c.Subgroup).Distinct(StringComparer.Ordinal).Select(d => (Domain: t, Subgroup: d)))
            .ToList();
        var values = rows.Select(q => (IReadOnlyList<double?>)columns
            .Select(col => model.CrossDomain.FirstOrDefault(c => c.QueryDomain == q && c.TrainingDomain == col.Domain && c.Subgroup == col.Subgroup)?.Mean)
            .ToList()).ToList();
        var chart = new HeatMapChart(
            $"Mean score: query domain (rows) x {string.Join(" and ", new[] { ReportGroups.GroupHeading(model), ReportGroups.SubgroupHeading(model) }.Where(h => h.Length > 0))} (columns)",
            rows.Select(r => $"{r} queries").ToList(),
            columns.Select(c => ReportGroups.Label(model, c.Domain, c.Subgroup)).ToList(),
            values);
        return new NamedChart("cross-domain", SvgCharts.HeatMap(chart));
    }

    public static NamedChart? Behaviours(ReportModel model)
    {
        if (model.Behaviours.Count == 0)
            return null;
        var order = ReportDomains.QueryDomains(model);
        var bars = model.Behaviours
            .OrderBy(b => IndexOf(order, b.QueryDomain))
            .Select(b => new HorizontalBar($"{b.QueryDomain}: {b.Behaviour}", b.Difference) { CiLow = b.DifferenceCiLow, CiHigh = b.DifferenceCiHigh })
            .ToList();
        var chart = new HorizontalBarChart("Tagged minus untagged mean score per token (95% CI)", "difference in mean score per token", bars);
        return new NamedChart("behaviours", SvgCharts.HorizontalBars(chart));
    }

    public static NamedChart? TopTokens(TokenRankingSection ranking)
    {
        if (ranking.Tokens.Count == 0)
            return null;
        var bars = ranking.Tokens.Take(TokensCharted).Select(t => new HorizontalBar($"{HtmlText.Visible(t.Token)} ({t.Category})", t.Sum)).ToList();
        var chart = new HorizontalBarChart($"{ReportDomains.Title(ranking.QueryDomain)} queries: top tokens by summed score", "summed score", bars);
        return new NamedChart($"tokens-{HtmlText.Slug(ranking.QueryDomain)}", SvgCharts.HorizontalBars(chart));
    }

    public static NamedChart? TokenCategories(TokenRankingSection ranking)
    {
        if (ranking.Categories.Count == 0)
            return null;
        var bars = ranking.Categories.Select(c => new HorizontalBar(c.Category, c.Sum)).ToList();
        var chart = new HorizontalBarChart($"{ReportDomains.Title(ranking.QueryDomain)} queries: summed score per token category", "summed score", bars);
        return new NamedChart($"token-categories-{HtmlText.Slug(ranking.QueryDomain)}", SvgCharts.HorizontalBars(chart));
    }

    public static NamedChart? Reweighting(ReportModel model)
    {
        if (model.Reweighting is not { Cells.Count: > 0 } summary)
            return null;
        var groups = summary.Cells.Select(c => ReportGroups.Label(model, c.TrainingDomain, c.Subgroup)).ToList();
        var chart = new GroupedBarChart(
            "Share of the training mix before and after reweighting",
            "share of training mix",
            groups,
            [
                new BarSeries("old share", summary.Cells.Select(c => c.OldShare).ToList(), "#9e9e9e"),
                new BarSeries("new share", summary.Cells.Select(c => c.NewShare).ToList(), "#2a9d8f"),
            ]);
        return new NamedChart("reweighting", SvgCharts.GroupedBars(chart));
    }

    /// <summary>Every chart of the report, in report order.</summary>
    public static IReadOnlyList<NamedChart> All(ReportModel model)
    {
        var charts = new List<NamedChart?>();
        charts.AddRange(ReportDomains.QueryDomains(model).Select(q => DomainDifficulty(model, q)));
        charts.Add(CrossDomain(model));
        charts.Add(Behaviours(model));
        foreach (var ranking in model.TokenRankings)
        {
            charts.Add(TopTokens(ranking));
            charts.Add(TokenCategories(ranking));
        }
        charts.Add(Reweighting(model));
        return charts.OfType<NamedChart>().ToList();
    }

    private static int IndexOf(IReadOnlyList<string> order, string value)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == value)
                return i;
        }
        return order.Count;
    }
}
