using Infra.Core.Errors;

namespace Infra.Aggregation.Rollups;

/// <summary>The result of a <see cref="SequenceRollupAccumulator"/>: the behaviour comparison and the top/bottom sequences per query domain.</summary>
public sealed class SequenceRollup
{
    private readonly IReadOnlyList<BehaviourComparisonRow> rows;
    private readonly Dictionary<string, IReadOnlyList<SequenceScoreRecord>> top;
    private readonly Dictionary<string, IReadOnlyList<SequenceScoreRecord>> bottom;

    internal SequenceRollup(
        IReadOnlyList<string> queryDomains,
        IReadOnlyList<BehaviourComparisonRow> rows,
        Dictionary<string, IReadOnlyList<SequenceScoreRecord>> top,
        Dictionary<string, IReadOnlyList<SequenceScoreRecord>> bottom)
    {
        QueryDomains = queryDomains;
        this.rows = rows;
        this.top = top;
        this.bottom = bottom;
    }

    /// <summary>Query domains seen, in ordinal order.</summary>
    public IReadOnlyList<string> QueryDomains { get; }

    /// <summary>One row per (query domain, tag), query domains then tags in ordinal order.</summary>
    public IReadOnlyList<BehaviourComparisonRow> BehaviourComparison() => rows;

    /// <summary>The rows of one query domain.</summary>
    public IReadOnlyList<BehaviourComparisonRow> BehaviourComparison(string queryDomain)
    {
        Check(queryDomain);
        return rows.Where(row => row.QueryDomain == queryDomain).ToList();
    }

    /// <summary>The <see cref="RollupOptions.TopK"/> highest-scoring sequences for <paramref name="queryDomain"/>; ties by example id, then sequence index.</summary>
    public IReadOnlyList<SequenceScoreRecord> TopSequences(string queryDomain) => top[Check(queryDomain)];

    /// <summary>The <see cref="RollupOptions.TopK"/> lowest-scoring sequences for <paramref name="queryDomain"/>; ties by example id, then sequence index.</summary>
    public IReadOnlyList<SequenceScoreRecord> BottomSequences(string queryDomain) => bottom[Check(queryDomain)];

    private string Check(string queryDomain)
    {
        ArgumentNullException.ThrowIfNull(queryDomain);
        return top.ContainsKey(queryDomain)
            ? queryDomain
            : throw DomainException.InvalidArgument($"no sequences were scored for query domain '{queryDomain}'");
    }
}
