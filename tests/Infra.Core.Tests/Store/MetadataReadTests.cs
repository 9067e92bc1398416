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
}
