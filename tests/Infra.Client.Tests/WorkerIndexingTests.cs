using Infra.Client.Pipeline;
using Infra.Contracts.Gradients.V1;

namespace Infra.Client.Tests;

/// <summary>How indexing over several workers cuts the examples into units.</summary>
public sealed class WorkerIndexingTests
{
    [Fact]
    public void Units_are_each_shards_examples_in_order_cut_in_whole_batches_and_queued_round_robin_over_the_shards()
    {
        var todo = Enumerable.Range(0, 200).Select(i => new Example { Id = $"ex-{i}" }).ToList();
        var units = WorkerIndexing.Cut(todo, shards: 3, size: 8);

        // Every example once, in its own shard's units, in corpus order within the shard.
        for (var shard = 0; shard < 3; shard++)
        {
            var expected = new CorpusPartition(shard, 3).Select(todo, e => e.Id).Select(e => e.Id);
            Assert.Equal(expected, units.Where(u => u.Shard == shard).SelectMany(u => u.Examples).Select(e => e.Id));
        }
        // Whole units of 8 (a shard's last may be shorter), so batches of 8 (or any divisor) start where one call's would.
        foreach (var shard in units.GroupBy(u => u.Shard))
            Assert.All(shard.SkipLast(1), u => Assert.Equal(8, u.Examples.Count));
        // Round-robin: the first three units are shard 0, 1, 2's first.
        Assert.Equal([0, 1, 2], units.Take(3).Select(u => u.Shard));
        var firsts = units.GroupBy(u => u.Shard).Select(g => g.First().Examples[0].Id);
        Assert.Equal(firsts.Order(StringComparer.Ordinal), units.Take(3).Select(u => u.Examples[0].Id).Order(StringComparer.Ordinal));
    }
}
