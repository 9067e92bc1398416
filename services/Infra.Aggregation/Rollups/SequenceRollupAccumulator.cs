using Infra.Core.Errors;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// Collects <see cref="SequenceScoreRecord"/>s one at a time for the behaviour comparison and the
/// top/bottom sequence lists. Per record it keeps two doubles per group it belongs to (each of its
/// tags, or "untagged"), i.e. O(sequences x query domains) memory — the bootstrap of a difference in
/// means needs the values — and never the records themselves beyond the bounded top/bottom lists.
/// </summary>
public sealed class SequenceRollupAccumulator
{
    private readonly RollupOptions options;
    private readonly SortedDictionary<string, DomainGroups> byQueryDomain = new(StringComparer.Ordinal);

    /// <summary>Starts an empty sequence roll-up.</summary>
    public SequenceRollupAccumulator(RollupOptions? options = null)
    {
        this.options = options ?? RollupOptions.Default;
        this.options.Validate();
    }

    /// <summary>Records added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one sequence's score.</summary>
    /// <exception cref="ArgumentException">Empty id or domain, token count &lt; 1, a non-finite score (drop unscored sequences first), or an empty tag.</exception>
    public void Add(SequenceScoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrWhiteSpace(record.ExampleId) || string.IsNullOrWhiteSpace(record.QueryDomain) || string.IsNullOrWhiteSpace(record.TrainingDomain))
        {
            throw DomainException.InvalidArgument("a sequence record has an empty example id, training domain or query domain");
        }
        if (record.TokenCount < 1)
        {
            throw DomainException.InvalidArgument($"sequence {record.SequenceIndex} of '{record.ExampleId}' has {record.TokenCount} tokens (needs >= 1)");
        }
        if (!double.IsFinite(record.Score))
        {
            throw DomainException.InvalidArgument($"sequence {record.SequenceIndex} of '{record.ExampleId}' has a non-finite score ({record.Score}); drop unscored sequences before rolling up");
        }
        ArgumentNullException.ThrowIfNull(record.Tags, nameof(record));
        if (record.Tags.Any(string.IsNullOrWhiteSpace))
        {
            throw DomainException.InvalidArgument($"sequence {record.SequenceIndex} of '{record.ExampleId}' has an empty tag");
        }
        if (!byQueryDomain.TryGetValue(record.QueryDomain, out var groups))
        {
            groups = new DomainGroups(options.TopK);
            byQueryDomain.Add(record.QueryDomain, groups);
        }
        var value = (record.Score, record.PerTokenScore);
        if (record.Tags.Count == 0)
        {
            groups.Untagged.Add(value);
        }
        foreach (var tag in record.Tags)
        {
            if (!groups.Tagged.TryGetValue(tag, out var values))
            {
                values = [];
                groups.Tagged.Add(tag, values);
            }
            values.Add(value);
        }
        groups.Top.Offer(record);
        groups.Bottom.Offer(record);
        Count++;
    }

    /// <summary>The behaviour comparison and top/bottom lists of everything added so far.</summary>
    /// <exception cref="InvalidOperationException">Nothing was added.</exception>
    public SequenceRollup Finish()
    {
        if (Count == 0)
        {
            throw DomainException.FailedPrecondition("no sequence scores were added: nothing to roll up");
        }
        var rows = new List<BehaviourComparisonRow>();
        var top = new Dictionary<string, IReadOnlyList<SequenceScoreRecord>>(StringComparer.Ordinal);
        var bottom = new Dictionary<string, IReadOnlyList<SequenceScoreRecord>>(StringComparer.Ordinal);
        foreach (var (queryDomain, groups) in byQueryDomain)
        {
            var untaggedScores = groups.Untagged.Select(value => value.Score).ToArray();
            var untaggedPerToken = groups.Untagged.Select(value => value.PerToken).ToArray();
            foreach (var (tag, values) in groups.Tagged)
            {
                var scores = values.Select(value => value.Score).ToArray();
                var perToken = values.Select(value => value.PerToken).ToArray();
                var stream = $"{queryDomain}|{tag}";
                var (scoreLow, scoreHigh) = Bootstrap.DifferenceInterval(scores, untaggedScores, options.Bootstrap, stream + "|score");
                var (tokenLow, tokenHigh) = Bootstrap.DifferenceInterval(perToken, untaggedPerToken, options.Bootstrap, stream + "|per-token");
                rows.Add(new BehaviourComparisonRow(
                    queryDomain,
                    tag,
                    scores.Length,
                    Mean(scores),
                    Mean(perToken),
                    untaggedScores.Length,
                    Mean(untaggedScores),
                    Mean(untaggedPerToken),
                    Mean(scores) - Mean(untaggedScores),
                    scoreLow,
                    scoreHigh,
                    Mean(perToken) - Mean(untaggedPerToken),
                    tokenLow,
                    tokenHigh));
            }
            top[queryDomain] = groups.Top.ToList();
            bottom[queryDomain] = groups.Bottom.ToList();
        }
        return new SequenceRollup([.. byQueryDomain.Keys], rows, top, bottom);
    }

    private static double Mean(double[] values) => values.Length == 0 ? double.NaN : values.Sum() / values.Length;

    private sealed class DomainGroups(int topK)
    {
        public List<(double Score, double PerToken)> Untagged { get; } = [];

        public SortedDictionary<string, List<(double Score, double PerToken)>> Tagged { get; } = new(StringComparer.Ordinal);

        public BoundedSelection<SequenceScoreRecord> Top { get; } = new(topK, SequenceScoreRecord.Highest);

        public BoundedSelection<SequenceScoreRecord> Bottom { get; } = new(topK, SequenceScoreRecord.Lowest);
    }
}
