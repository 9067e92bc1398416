using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

public sealed class TopKTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Select_equals_a_full_stable_sort_with_ties_to_the_lower_index(bool largest)
    {
        var random = new Random(8);
        foreach (var n in new[] { 0, 1, 2, 7, 100, 1000 })
        {
            // Few distinct values: many ties; a NaN or two rank last.
            var scores = Enumerable.Range(0, n).Select(_ => (float)random.Next(-5, 6)).ToArray();
            if (n > 10)
                scores[3] = scores[n - 2] = float.NaN;
            foreach (var k in new[] { 0, 1, 3, n / 2, n, n + 5 })
                Assert.Equal(FullSort(scores, largest).Take(k), TopK.Select(scores, k, largest));
        }
    }

    [Fact]
    public void Batches_with_base_indices_merged_across_threads_equal_one_selection()
    {
        var random = new Random(9);
        var scores = Enumerable.Range(0, 10_000).Select(_ => (float)Math.Round(random.NextDouble() * 100, 1)).ToArray();
        var parts = new TopKAccumulator[4];
        Parallel.For(0, parts.Length, p =>
        {
            parts[p] = new TopKAccumulator(50, largest: true);
            // Each thread takes every fourth batch of 256, out of index order on purpose.
            for (var start = p * 256; start < scores.Length; start += 4 * 256)
                parts[p].Add(scores.AsSpan(start, Math.Min(256, scores.Length - start)), start);
        });
        var merged = new TopKAccumulator(50, largest: true);
        foreach (var part in parts.Reverse())
            merged.Merge(part);
        Assert.Equal(TopK.Select(scores, 50, largest: true), merged.ToSortedArray());
        Assert.Equal(FullSort(scores, largest: true).Take(50), merged.ToSortedArray());
    }

    [Fact]
    public void Invalid_k_and_mismatched_merges_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TopK.Select([1f], -1, true));
        Assert.Throws<ArgumentException>(() => new TopKAccumulator(3, true).Merge(new TopKAccumulator(4, true)));
        Assert.Throws<ArgumentException>(() => new TopKAccumulator(3, true).Merge(new TopKAccumulator(3, false)));
    }

    private static IEnumerable<ScoredIndex> FullSort(float[] scores, bool largest)
    {
        var all = scores.Select((s, i) => new ScoredIndex(i, s));
        var numbers = all.Where(x => !float.IsNaN(x.Score));
        var ordered = largest ? numbers.OrderByDescending(x => x.Score) : numbers.OrderBy(x => x.Score);
        return ordered.ThenBy(x => x.Index).Concat(all.Where(x => float.IsNaN(x.Score)));
    }
}
