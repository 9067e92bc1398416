using Infra.Core.Errors;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// The result of an <see cref="InfluenceAccumulator"/>: per example, its mean influence over the
/// queries of each query domain, and from these the paper's roll-ups — the domain x difficulty
/// table (or any <see cref="Grouping"/>) per query domain, the cross-domain matrix, and the top and
/// bottom examples and scores.
/// </summary>
/// <remarks>
/// The per-example value in every cell is that example's mean raw influence over the queries of the
/// cell's query domain that scored it (NaN scores skipped); an example no such query scored is not
/// in the cell. For <see cref="AllQueries"/> it is the mean over every query that scored it.
/// </remarks>
public sealed class InfluenceRollup
{
    /// <summary>The pseudo query domain meaning "every query of the set": "all".</summary>
    public const string AllQueries = "all";

    private readonly ExampleAttributes[] examples;
    private readonly Dictionary<string, int> exampleIndex;
    private readonly string[] domains;
    private readonly double[] sums;
    private readonly int[] counts;
    private readonly IReadOnlyList<ScoredPair>[] topScores;
    private readonly IReadOnlyList<ScoredPair>[] bottomScores;
    private readonly string[] trainingDomains;

    internal InfluenceRollup(
        ExampleAttributes[] examples,
        string[] domains,
        double[] sums,
        int[] counts,
        IReadOnlyList<ScoredPair>[] topScores,
        IReadOnlyList<ScoredPair>[] bottomScores,
        RollupOptions options)
    {
        this.examples = examples;
        this.domains = domains;
        this.sums = sums;
        this.counts = counts;
        this.topScores = topScores;
        this.bottomScores = bottomScores;
        Options = options;
        exampleIndex = new Dictionary<string, int>(examples.Length, StringComparer.Ordinal);
        for (var i = 0; i < examples.Length; i++)
        {
            exampleIndex[examples[i].Id] = i;
        }
        trainingDomains = examples.Select(example => example.Domain).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The query domains of the query set, in ordinal order (without <see cref="AllQueries"/>).</summary>
    public IReadOnlyList<string> QueryDomains => domains;

    /// <summary>The training domains of the examples, in ordinal order.</summary>
    public IReadOnlyList<string> TrainingDomains => trainingDomains;

    /// <summary>The examples the roll-up was built over, in the order given.</summary>
    public IReadOnlyList<ExampleAttributes> Examples => examples;

    /// <summary>The options the roll-up was built with (top-k, bootstrap).</summary>
    public RollupOptions Options { get; }

    /// <summary>
    /// Mean raw influence of <paramref name="exampleId"/> over the queries of <paramref name="queryDomain"/>
    /// (or <see cref="AllQueries"/>) that scored it; NaN when none did.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown example id or query domain.</exception>
    public double ExampleInfluence(string exampleId, string queryDomain)
    {
        var (sum, count) = Totals(IndexOf(exampleId), DomainSelector(queryDomain));
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>How many queries of <paramref name="queryDomain"/> (or <see cref="AllQueries"/>) scored <paramref name="exampleId"/>.</summary>
    public int ExampleQueryCount(string exampleId, string queryDomain) => Totals(IndexOf(exampleId), DomainSelector(queryDomain)).Count;

    /// <summary>
    /// The domain x difficulty table for one query domain (or <see cref="AllQueries"/>): the <see cref="Table"/> of
    /// <see cref="Grouping.Default"/>: for each training domain (ordinal order), one cell per difficulty (ascending,
    /// "unlabelled" last) and then a cell over all its difficulties (<see cref="RollupCell.Difficulty"/> null).
    /// </summary>
    public IReadOnlyList<RollupCell> DomainDifficultyTable(string queryDomain) => Table(queryDomain, Grouping.Default);

    /// <summary>
    /// The roll-up of one query domain (or <see cref="AllQueries"/>) by <paramref name="grouping"/>: per group (in
    /// <see cref="GroupValueOrder"/>), with two columns one cell per subgroup present in the group (same order) and
    /// then the cell over all its subgroups; with one column one cell per group.
    /// </summary>
    public IReadOnlyList<RollupCell> Table(string queryDomain, Grouping grouping)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        var selector = DomainSelector(queryDomain);
        var table = new List<RollupCell>();
        var groups = Enumerable.Range(0, examples.Length).ToLookup(i => Grouping.ValueOf(examples[i], grouping.GroupColumn), StringComparer.Ordinal);
        var subgroupOrder = grouping.SubgroupColumn is { } column
            ? GroupValueOrder.Sort(examples.Select(example => Grouping.ValueOf(example, column)))
            : [];
        foreach (var group in GroupValueOrder.Sort(groups.Select(g => g.Key)))
        {
            var members = groups[group].ToArray();
            if (grouping.SubgroupColumn is not { } subgroupColumn)
            {
                table.Add(Cell(queryDomain, grouping, members, group, null, Values(members, selector)));
                continue;
            }
            var subgroups = members.ToLookup(i => Grouping.ValueOf(examples[i], subgroupColumn), StringComparer.Ordinal);
            var all = new List<double>();
            foreach (var subgroup in subgroupOrder.Where(subgroups.Contains))
            {
                var subMembers = subgroups[subgroup].ToArray();
                var values = Values(subMembers, selector);
                all.AddRange(values);
                table.Add(Cell(queryDomain, grouping, subMembers, group, subgroup, values));
            }
            table.Add(Cell(queryDomain, grouping, members, group, null, all));
        }
        return table;
    }

    /// <summary>
    /// The cross-domain matrix: query domain x group (x subgroup), i.e. the <see cref="Table"/> of every query domain and
    /// then of <see cref="AllQueries"/>. <paramref name="grouping"/> defaults to <see cref="Grouping.Default"/> (query
    /// domain x training domain x difficulty).
    /// </summary>
    public IReadOnlyList<RollupCell> CrossDomainMatrix(Grouping? grouping = null) =>
        domains.Append(AllQueries).SelectMany(domain => Table(domain, grouping ?? Grouping.Default)).ToList();

    /// <summary>The <see cref="RollupOptions.TopK"/> examples with the highest mean influence on <paramref name="queryDomain"/>; ties by id.</summary>
    public IReadOnlyList<RankedExample> TopExamples(string queryDomain) => Rank(queryDomain, RankedExample.Highest);

    /// <summary>The <see cref="RollupOptions.TopK"/> examples with the lowest (most harmful) mean influence on <paramref name="queryDomain"/>; ties by id.</summary>
    public IReadOnlyList<RankedExample> BottomExamples(string queryDomain) => Rank(queryDomain, RankedExample.Lowest);

    /// <summary>The <see cref="RollupOptions.TopK"/> highest single (example, query) scores among the queries of <paramref name="queryDomain"/>.</summary>
    public IReadOnlyList<ScoredPair> TopScores(string queryDomain) => topScores[DomainIndex(queryDomain)];

    /// <summary>The <see cref="RollupOptions.TopK"/> lowest single (example, query) scores among the queries of <paramref name="queryDomain"/>.</summary>
    public IReadOnlyList<ScoredPair> BottomScores(string queryDomain) => bottomScores[DomainIndex(queryDomain)];

    private IReadOnlyList<RankedExample> Rank(string queryDomain, IComparer<RankedExample> order)
    {
        var selector = DomainSelector(queryDomain);
        var selection = new BoundedSelection<RankedExample>(Options.TopK, order);
        for (var i = 0; i < examples.Length; i++)
        {
            var (sum, count) = Totals(i, selector);
            if (count > 0)
            {
                selection.Offer(new RankedExample(examples[i].Id, examples[i].Domain, examples[i].Difficulty, sum / count, count));
            }
        }
        return selection.ToList();
    }

    // members: the examples of the cell (non-empty); subgroup null = one column, or the cell over every subgroup.
    private RollupCell Cell(string queryDomain, Grouping grouping, int[] members, string group, string? subgroup, List<double> values)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var first = examples[members[0]];
        var twoColumns = grouping.SubgroupColumn is not null;
        var allSubgroups = twoColumns && subgroup is null;
        // The default grouping keeps the bootstrap stream it always had ("math|math|3", "math|math|all"), so its
        // confidence intervals do not move; other groupings name their columns, so no two cells share a stream.
        var stream = grouping.IsDefault
            ? $"{queryDomain}|{group}|{(allSubgroups ? "all" : first.Difficulty.ToString(inv))}"
            : $"{queryDomain}|{grouping.GroupColumn}={group}" + (twoColumns ? $"|{grouping.SubgroupColumn}={subgroup ?? "*"}" : "");
        var statistics = SummaryStatistics.Compute(values.ToArray(), Options.Bootstrap, stream);
        // A column's value is the cell's when the column is the group, or the subgroup of a single-subgroup cell.
        bool Fixed(string column) => grouping.GroupColumn == column || (grouping.SubgroupColumn == column && !allSubgroups);
        return new RollupCell(queryDomain, Fixed(Grouping.Domain) ? first.Domain : "", Fixed(Grouping.Difficulty) ? first.Difficulty : null, statistics)
        {
            Group = group,
            Subgroup = subgroup ?? "",
            AllSubgroups = allSubgroups,
        };
    }

    private List<double> Values(int[] members, int selector)
    {
        var values = new List<double>(members.Length);
        foreach (var i in members)
        {
            var (sum, count) = Totals(i, selector);
            if (count > 0)
            {
                values.Add(sum / count);
            }
        }
        return values;
    }

    // selector: a domain index, or -1 for every query.
    private (double Sum, int Count) Totals(int example, int selector)
    {
        var row = example * domains.Length;
        if (selector >= 0)
        {
            return (sums[row + selector], counts[row + selector]);
        }
        var sum = 0.0;
        var count = 0;
        for (var d = 0; d < domains.Length; d++)
        {
            sum += sums[row + d];
            count += counts[row + d];
        }
        return (sum, count);
    }

    private int DomainSelector(string queryDomain) => queryDomain == AllQueries ? -1 : DomainIndex(queryDomain);

    private int DomainIndex(string queryDomain)
    {
        ArgumentNullException.ThrowIfNull(queryDomain);
        var index = Array.IndexOf(domains, queryDomain);
        return index >= 0
            ? index
            : throw DomainException.InvalidArgument($"unknown query domain '{queryDomain}' (the query set has: {string.Join(", ", domains)})");
    }

    private int IndexOf(string exampleId)
    {
        ArgumentNullException.ThrowIfNull(exampleId);
        return exampleIndex.TryGetValue(exampleId, out var index)
            ? index
            : throw DomainException.InvalidArgument($"unknown example '{exampleId}'");
    }
}
