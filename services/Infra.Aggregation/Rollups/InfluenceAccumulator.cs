using System.Globalization;
using Infra.Core.Errors;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// Rolls up an example x query influence matrix fed chunk by chunk, without ever holding it: per
/// example it keeps the sum and count of its raw scores per query domain (O(examples x query
/// domains) memory), plus bounded heaps of the highest and lowest single scores per query domain.
/// Feed every <see cref="ScoreBlock"/> (any chunking, any order: the result is the same), then
/// call <see cref="Finish"/>.
/// </summary>
/// <remarks>
/// NaN scores mean "not computed" (the ScoringService writes NaN for rows its filter dropped) and are
/// skipped: they count neither in the sum nor in the count, so an example's mean is over the queries
/// that did score it, and an example no query of a domain scored is left out of that domain's cells.
/// ±Infinity is an error. A chunk with an unknown example or query id, a repeated id, the wrong
/// number of scores, or more scores for an (example, query domain) than that domain has queries
/// (a chunk fed twice) is rejected whole, before anything is added.
/// </remarks>
public sealed class InfluenceAccumulator
{
    private readonly ExampleAttributes[] examples;
    private readonly Dictionary<string, int> exampleIndex = new(StringComparer.Ordinal);
    private readonly string[] domains;
    private readonly Dictionary<string, int> queryDomainIndex = new(StringComparer.Ordinal);
    private readonly int[] queriesPerDomain;
    private readonly double[] sums;
    private readonly int[] counts;
    private readonly BoundedSelection<ScoredPair>[] topScores;
    private readonly BoundedSelection<ScoredPair>[] bottomScores;
    private readonly RollupOptions options;

    /// <summary>Starts a roll-up over <paramref name="examples"/> and the query set <paramref name="queries"/>.</summary>
    /// <exception cref="ArgumentException">No examples or queries, an empty or repeated id, an empty domain, or a query domain named <see cref="InfluenceRollup.AllQueries"/>.</exception>
    public InfluenceAccumulator(IEnumerable<ExampleAttributes> examples, IEnumerable<QueryAttributes> queries, RollupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(queries);
        this.options = options ?? RollupOptions.Default;
        this.options.Validate();
        this.examples = [.. examples];
        if (this.examples.Length == 0)
        {
            throw DomainException.InvalidArgument("no training examples to roll up");
        }
        for (var i = 0; i < this.examples.Length; i++)
        {
            var example = this.examples[i] ?? throw DomainException.InvalidArgument("null example");
            if (string.IsNullOrWhiteSpace(example.Id) || string.IsNullOrWhiteSpace(example.Domain))
            {
                throw DomainException.InvalidArgument($"example #{i.ToString(CultureInfo.InvariantCulture)} has an empty id or domain");
            }
            if (!exampleIndex.TryAdd(example.Id, i))
            {
                throw DomainException.InvalidArgument($"example id '{example.Id}' appears twice");
            }
        }
        var queryList = queries.ToList();
        if (queryList.Count == 0)
        {
            throw DomainException.InvalidArgument("no queries to roll up over");
        }
        var seenQueries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queryList)
        {
            if (query is null || string.IsNullOrWhiteSpace(query.Id) || string.IsNullOrWhiteSpace(query.Domain))
            {
                throw DomainException.InvalidArgument("a query has an empty id or domain");
            }
            if (query.Domain == InfluenceRollup.AllQueries)
            {
                throw DomainException.InvalidArgument($"'{InfluenceRollup.AllQueries}' is reserved for the roll-up over every query; rename the query domain");
            }
            if (!seenQueries.Add(query.Id))
            {
                throw DomainException.InvalidArgument($"query id '{query.Id}' appears twice");
            }
        }
        domains = queryList.Select(query => query.Domain).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        queriesPerDomain = new int[domains.Length];
        foreach (var query in queryList)
        {
            var domain = Array.IndexOf(domains, query.Domain);
            queryDomainIndex[query.Id] = domain;
            queriesPerDomain[domain]++;
        }
        sums = new double[this.examples.Length * domains.Length];
        counts = new int[this.examples.Length * domains.Length];
        topScores = domains.Select(_ => new BoundedSelection<ScoredPair>(this.options.TopK, ScoredPair.Highest)).ToArray();
        bottomScores = domains.Select(_ => new BoundedSelection<ScoredPair>(this.options.TopK, ScoredPair.Lowest)).ToArray();
    }

    /// <summary>Finite scores added so far.</summary>
    public long ScoresAdded { get; private set; }

    /// <summary>NaN scores skipped so far (not computed, e.g. filtered rows).</summary>
    public long ScoresSkipped { get; private set; }

    /// <summary>Adds one chunk of raw scores.</summary>
    /// <exception cref="ArgumentException">The chunk is malformed (see the remarks on the type); nothing of it was added.</exception>
    public void Add(ScoreBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var rows = Resolve(block.ExampleIds, exampleIndex, "example", "the examples given to the roll-up");
        var columns = Resolve(block.QueryIds, queryDomainIndex, "query", "the query set");
        var raw = block.Raw.Span;
        if ((long)rows.Length * columns.Length != raw.Length)
        {
            throw DomainException.InvalidArgument(
                $"score chunk has {raw.Length.ToString(CultureInfo.InvariantCulture)} scores for {rows.Length.ToString(CultureInfo.InvariantCulture)} examples x {columns.Length.ToString(CultureInfo.InvariantCulture)} queries");
        }
        var increments = new int[rows.Length * domains.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var q = 0; q < columns.Length; q++)
            {
                var score = raw[(r * columns.Length) + q];
                if (double.IsInfinity(score))
                {
                    throw DomainException.InvalidArgument($"score of example '{block.ExampleIds[r]}' on query '{block.QueryIds[q]}' is infinite");
                }
                if (!double.IsNaN(score))
                {
                    increments[(r * domains.Length) + columns[q]]++;
                }
            }
            for (var d = 0; d < domains.Length; d++)
            {
                if (counts[(rows[r] * domains.Length) + d] + increments[(r * domains.Length) + d] > queriesPerDomain[d])
                {
                    throw DomainException.InvalidArgument(
                        $"example '{block.ExampleIds[r]}' would get more scores from query domain '{domains[d]}' than it has queries ({queriesPerDomain[d].ToString(CultureInfo.InvariantCulture)}): was a chunk fed twice?");
                }
            }
        }
        for (var r = 0; r < rows.Length; r++)
        {
            for (var q = 0; q < columns.Length; q++)
            {
                var score = raw[(r * columns.Length) + q];
                if (double.IsNaN(score))
                {
                    ScoresSkipped++;
                    continue;
                }
                var cell = (rows[r] * domains.Length) + columns[q];
                sums[cell] += score;
                counts[cell]++;
                ScoresAdded++;
                var pair = new ScoredPair(block.ExampleIds[r], block.QueryIds[q], score);
                topScores[columns[q]].Offer(pair);
                bottomScores[columns[q]].Offer(pair);
            }
        }
    }

    /// <summary>The roll-up of everything added so far (a snapshot: adding more later does not change it).</summary>
    /// <exception cref="InvalidOperationException">No finite score was added.</exception>
    public InfluenceRollup Finish()
    {
        if (ScoresAdded == 0)
        {
            throw DomainException.FailedPrecondition("no finite scores were added: nothing to roll up");
        }
        return new InfluenceRollup(
            examples,
            domains,
            (double[])sums.Clone(),
            (int[])counts.Clone(),
            topScores.Select(selection => selection.ToList()).ToArray(),
            bottomScores.Select(selection => selection.ToList()).ToArray(),
            options);
    }

    private static int[] Resolve(IReadOnlyList<string> ids, Dictionary<string, int> index, string what, string where)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var resolved = new int[ids.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!index.TryGetValue(ids[i], out resolved[i]))
            {
                throw DomainException.InvalidArgument($"unknown {what} '{ids[i]}' in a score chunk (not in {where})");
            }
            if (!seen.Add(ids[i]))
            {
                throw DomainException.InvalidArgument($"{what} '{ids[i]}' appears twice in one score chunk");
            }
        }
        return resolved;
    }
}
