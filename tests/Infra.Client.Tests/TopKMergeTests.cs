using Infra.Client.Sharding;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Tests;

/// <summary>
/// Top-k over shards equals the top-k of one store holding every shard's examples: checked against a reference that
/// sorts all examples as the store's TopKAccumulator does (float rank, NaN last, ties to the earlier example), with
/// ties, NaN, k beyond any shard, empty shards and the bottom end.
/// </summary>
public sealed class TopKMergeTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(5, 3)]
    [InlineData(50, 3)]   // k larger than any shard and than the whole store
    [InlineData(7, 1)]
    [InlineData(4, 5)]    // more shards than examples on some: empty shards
    public void Merged_top_and_bottom_equal_one_stores_over_the_same_examples(int k, int shards)
    {
        // Scores with ties (several examples per value), negative values and a NaN; ids give the store order.
        var all = Enumerable.Range(0, 23).Select(i => Example($"ex-{i:D2}", i == 9 ? double.NaN : Math.Round(Math.Sin(i) * 3) / 2)).ToList();
        var byShard = Enumerable.Range(0, shards).Select(s => all.Where((_, i) => i % shards == s && (shards < 5 || s < 3)).ToList()).ToList();
        var kept = byShard.SelectMany(s => s).ToList();
        var results = byShard.Select(s => (IReadOnlyList<QueryResult>)[Result(s, k)]).ToList();

        var merged = Assert.Single(TopKMerge.Merge(results, k, rankByNormalized: false));

        Assert.Equal((ulong)kept.Count, merged.Scored);
        Assert.Equal(Reference(kept, k, largest: true).Select(e => e.Score), merged.Top.Select(e => e.Score));
        Assert.Equal(Reference(kept, k, largest: false).Select(e => e.Score), merged.Bottom.Select(e => e.Score));
        // The same examples, except which of those tied at the cut are kept (ties across shards go to the lower shard).
        var reference = Reference(kept, k, largest: true);
        var cut = reference[^1].Score;
        Assert.Equal(reference.Where(e => !e.Score.Equals(cut)).Select(e => e.Id).Order(StringComparer.Ordinal),
            merged.Top.Where(e => !e.Score.Equals(cut)).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ties_keep_each_shards_own_order_and_go_to_the_lower_shard_across_shards()
    {
        var shard0 = new[] { Example("b", 1), Example("a", 1) };   // the shard's own order: b before a (its store order)
        var shard1 = new[] { Example("c", 2), Example("d", 1) };
        var merged = TopKMerge.Take([shard0, shard1], 4, largest: true, rankByNormalized: false);
        Assert.Equal(["c", "b", "a", "d"], merged.Select(e => e.Id));
    }

    [Fact]
    public void Ranking_by_the_normalised_score_uses_it_and_compares_as_a_float()
    {
        var shard0 = new[] { Example("x", 5, normalized: 0.1) };
        var shard1 = new[] { Example("y", 1, normalized: 0.9) };
        Assert.Equal(["y", "x"], TopKMerge.Take([shard0, shard1], 2, largest: true, rankByNormalized: true).Select(e => e.Id));
        // Different as doubles, equal as floats (the store ranks by float): a tie, so the lower shard first.
        var a = new[] { Example("p", 1.0 + 1e-12) };
        var b = new[] { Example("q", 1.0 + 2e-12) };
        Assert.Equal(["p", "q"], TopKMerge.Take([a, b], 2, largest: true, rankByNormalized: false).Select(e => e.Id));
    }

    [Fact]
    public void Shards_that_disagree_on_the_queries_are_refused_naming_the_query()
    {
        var one = new QueryResult { QueryId = "q1", Domain = "math", Measurement = -1.5f };
        var other = new QueryResult { QueryId = "q1", Domain = "math", Measurement = -2.5f };
        var error = Assert.Throws<InvalidOperationException>(() => TopKMerge.Merge([[one], [other]], 3, false));
        Assert.Contains("'q1'", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => TopKMerge.Merge([[one], []], 3, false));
    }

    [Fact]
    public void No_shards_and_empty_shards_merge_to_empty_lists()
    {
        Assert.Empty(TopKMerge.Merge([], 3, false));
        var empty = new QueryResult { QueryId = "q", Domain = "code" };
        var merged = Assert.Single(TopKMerge.Merge([[empty], [empty.Clone()]], 3, false));
        Assert.Empty(merged.Top);
        Assert.Empty(merged.Bottom);
        Assert.Equal(0UL, merged.Scored);
    }

    private static ScoredExample Example(string id, double score, double normalized = double.NaN) => new() { Id = id, Score = score, Normalized = normalized };

    // One shard's answer, as its store computes it over its own examples.
    private static QueryResult Result(List<ScoredExample> examples, int k)
    {
        var result = new QueryResult { QueryId = "q", Domain = "math", Measurement = -1, Scored = (ulong)examples.Count };
        result.Top.AddRange(Reference(examples, k, largest: true));
        result.Bottom.AddRange(Reference(examples, k, largest: false));
        return result;
    }

    // The store's order (TopKAccumulator): float rank, NaN last, ties to the earlier example (ids are in store order).
    private static List<ScoredExample> Reference(IEnumerable<ScoredExample> examples, int k, bool largest) => examples
        .OrderBy(e => double.IsNaN(e.Score) ? 1 : 0)
        .ThenBy(e => largest ? -(float)e.Score : (float)e.Score)
        .ThenBy(e => e.Id, StringComparer.Ordinal)
        .Take(k).ToList();
}
