namespace Infra.Aggregation.Reports;

/// <summary>Display order of domains: the run's declared query domains first, then others as they first appear.</summary>
internal static class ReportDomains
{
    private static readonly string[] Palette = ["#4c72b0", "#dd8452", "#55a868", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974"];

    public static IReadOnlyList<string> QueryDomains(ReportModel model) =>
        Order(model.Run.QueryDomains,
            model.DomainDifficulty.Select(s => s.QueryDomain)
                .Concat(model.CrossDomain.Select(c => c.QueryDomain))
                .Concat(model.Behaviours.Select(b => b.QueryDomain))
                .Concat(model.TokenRankings.Select(r => r.QueryDomain)));

    public static IReadOnlyList<string> TrainingDomains(ReportModel model) =>
        Order(model.Run.QueryDomains,
            model.DomainDifficulty.Select(s => s.TrainingDomain)
                .Concat(model.CrossDomain.Select(c => c.TrainingDomain))
                .Concat(model.Reweighting?.Cells.Select(c => c.TrainingDomain) ?? []),
            includePreferredAbsent: false);

    /// <summary>The series colour of the <paramref name="index"/>-th training domain.</summary>
    public static string Color(int index) => Palette[index % Palette.Length];

    /// <summary>A domain as a heading, e.g. "Math".</summary>
    public static string Title(string domain) =>
        domain.Length == 0 ? domain : char.ToUpperInvariant(domain[0]) + domain[1..];

    private static List<string> Order(IReadOnlyList<string> preferred, IEnumerable<string> seen, bool includePreferredAbsent = true)
    {
        var seenList = seen.Distinct(StringComparer.Ordinal).ToList();
        var result = preferred.Where(p => includePreferredAbsent || seenList.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        result.AddRange(seenList.Where(s => !result.Contains(s, StringComparer.Ordinal)));
        return result;
    }
}
