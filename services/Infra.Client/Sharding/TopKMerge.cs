using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Sharding;

/// <summary>
/// Merges the shards' per-query results of one Score call into what a single store holding all their examples returns:
/// <c>scored</c> summed, and the top (and bottom) k taken from the shards' own top (bottom) k lists — exact, because an
/// example in the overall top k is in its own shard's top k. Ranking is the store's: by the score (the normalised one
/// when ranking by it) compared as a float, NaN below every number; each shard's list keeps its own order, and equal
/// scores from different shards go to the lower shard.
/// </summary>
public static class TopKMerge
{
    /// <summary>The merged results, one per query in the first shard's order.</summary>
    /// <param name="perShard">Each shard's results, in shard order; every shard must have the same queries in the same order.</param>
    /// <param name="k">How many to keep at each end (the request's top_k, 0 meaning 10).</param>
    /// <param name="rankByNormalized">Rank by <see cref="ScoredExample.Normalized"/> instead of <see cref="ScoredExample.Score"/>.</param>
    /// <exception cref="InvalidOperationException">The shards disagree on the queries (ids, order, domain or measurement): the message names the first that differs.</exception>
    public static List<QueryResult> Merge(IReadOnlyList<IReadOnlyList<QueryResult>> perShard, int k, bool rankByNormalized)
    {
        ArgumentNullException.ThrowIfNull(perShard);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (perShard.Count == 0) return [];
        var first = perShard[0];
        for (var s = 1; s < perShard.Count; s++)
        {
            if (perShard[s].Count != first.Count)
                throw new InvalidOperationException($"shard {s} scored {perShard[s].Count} queries, shard 0 {first.Count}: the query set differs between shards");
            for (var q = 0; q < first.Count; q++)
            {
                var (a, b) = (first[q], perShard[s][q]);
                if (a.QueryId != b.QueryId || a.Domain != b.Domain || !a.Measurement.Equals(b.Measurement) || a.Fidelity != b.Fidelity)
                    throw new InvalidOperationException($"shard {s}'s query {q} ('{b.QueryId}', {b.Domain}, f = {b.Measurement}) differs from shard 0's ('{a.QueryId}', {a.Domain}, f = {a.Measurement}): the query set was registered differently");
            }
        }
        return Enumerable.Range(0, first.Count).Select(q =>
        {
            var merged = new QueryResult
            {
                QueryId = first[q].QueryId, Domain = first[q].Domain, Measurement = first[q].Measurement, Fidelity = first[q].Fidelity,
                Scored = (ulong)perShard.Sum(shard => (decimal)shard[q].Scored),
            };
            merged.Top.AddRange(Take(perShard.Select(shard => (IReadOnlyList<ScoredExample>)shard[q].Top).ToList(), k, largest: true, rankByNormalized));
            merged.Bottom.AddRange(Take(perShard.Select(shard => (IReadOnlyList<ScoredExample>)shard[q].Bottom).ToList(), k, largest: false, rankByNormalized));
            return merged;
        }).ToList();
    }

    /// <summary>
    /// The best <paramref name="k"/> of several lists, each already best first: a k-way merge that compares only the
    /// lists' heads, so each list's own order (its store's tie-breaks) is kept, and a tie between heads goes to the
    /// lower list.
    /// </summary>
    public static List<ScoredExample> Take(IReadOnlyList<IReadOnlyList<ScoredExample>> lists, int k, bool largest, bool rankByNormalized)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var heads = new int[lists.Count];
        var merged = new List<ScoredExample>(Math.Min(k, lists.Sum(l => l.Count)));
        while (merged.Count < k)
        {
            var best = -1;
            for (var s = 0; s < lists.Count; s++)
            {
                if (heads[s] == lists[s].Count) continue;
                if (best < 0 || Ranks(lists[s][heads[s]], lists[best][heads[best]], largest, rankByNormalized) > 0) best = s;
            }
            if (best < 0) break;
            merged.Add(lists[best][heads[best]++]);
        }
        return merged;
    }

    // Positive when x ranks strictly above y; as the store's TopKAccumulator compares (float ranks, NaN last).
    private static int Ranks(ScoredExample x, ScoredExample y, bool largest, bool rankByNormalized)
    {
        float a = Rank(x, rankByNormalized), b = Rank(y, rankByNormalized);
        bool aNaN = float.IsNaN(a), bNaN = float.IsNaN(b);
        if (aNaN != bNaN) return aNaN ? -1 : 1;
        if (aNaN || a == b) return 0;
        return (a > b) == largest ? 1 : -1;
    }

    private static float Rank(ScoredExample example, bool rankByNormalized) => (float)(rankByNormalized ? example.Normalized : example.Score);
}
