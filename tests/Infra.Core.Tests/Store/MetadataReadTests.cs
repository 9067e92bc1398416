using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

public sealed class MetadataReadTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Several_rows_read_at_once_equal_the_rows_read_one_by_one_and_a_missing_row_is_named()
    {
        using var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(tokenFactors: false), new GradientStoreOptions { ShardExamples = 5 });
        var examples = Enumerable.Range(0, 5).Select(i => StoreFixtures.Example($"e{i}", 10 + i, tokenFactors: false)).ToList();
        foreach (var e in examples) store.Add(e);
        store.Flush();
        var shard = Assert.Single(store.Shards);

        var many = shard.ReadTokens([4, 0, 2]);

        Assert.Equal([0, 2, 4], many.Keys.Order());
        foreach (var row in many.Keys)
        {
            var one = shard.ReadTokens(row);
            Assert.Equal(examples[row].TokenIds, many[row].TokenIds);
            Assert.Equal(one.LossMask, many[row].LossMask);
            Assert.Equal(one.TokenLosses, many[row].TokenLosses);
            Assert.Equal(one.Text, many[row].Text);
            Assert.Equal(one.CharStarts, many[row].CharStarts);
            Assert.Equal(one.CharLengths, many[row].CharLengths);
        }
        Assert.Contains("no row 7", Assert.Throws<StoreException>(() => shard.ReadTokens([1, 7])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_reads_examples_across_shards_in_request_order_and_names_the_missing_ids()
    {
        using var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(tokenFactors: false), new GradientStoreOptions { ShardExamples = 2 });
        var examples = Enumerable.Range(0, 5).Select(i => StoreFixtures.Example($"e{i}", 20 + i, tokenFactors: false, domain: $"d{i}", difficulty: i)).ToList();
        foreach (var e in examples) store.Add(e);
        store.Flush();
        var snapshot = store.Snapshot;
        Assert.True(snapshot.Shards.Count > 1);

        Assert.Equal(examples.Select(e => e.Id), snapshot.Ids);
        Assert.Equal(examples.Sum(e => (long)e.TokenIds.Length), snapshot.TokenCount);
        Assert.Equal(["x", "x", "y"], snapshot.Missing(["e1", "x", "e4", "x", "y"]));

        var read = snapshot.ReadExamples(["e4", "e0", "e3", "e0"], window: 3).ToList();
        Assert.Equal(["e4", "e0", "e3", "e0"], read.Select(r => r.Id));
        foreach (var r in read)
        {
            var expected = examples.Single(e => e.Id == r.Id);
            Assert.Equal(expected.Domain, r.Domain);
            Assert.Equal(expected.Difficulty, r.Difficulty);
            Assert.Equal(expected.TokenIds, r.Tokens.TokenIds);
        }
    }
}
