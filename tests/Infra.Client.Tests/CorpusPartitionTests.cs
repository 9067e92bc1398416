using System.Globalization;
using Infra.Client.Pipeline;

namespace Infra.Client.Tests;

/// <summary>Partitions of a corpus for several indexing machines: a cover, stable, balanced, and strict about "i/n".</summary>
public sealed class CorpusPartitionTests
{
    private static readonly string[] PinnedIds = ["a", "b", "math-1-00000", "ex-0", "ü"];

    private static readonly string[] Ids = Enumerable.Range(0, 2000).Select(i => "ex-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    public void Every_example_is_in_exactly_one_partition_and_partitions_are_balanced(int count)
    {
        var parts = Enumerable.Range(0, count).Select(i => new CorpusPartition(i, count).Select(Ids, id => id)).ToList();
        Assert.Equal(Ids.Order(StringComparer.Ordinal), parts.SelectMany(p => p).Order(StringComparer.Ordinal));
        var expected = Ids.Length / (double)count;
        Assert.All(parts, p => Assert.InRange(p.Count, 0.75 * expected, 1.25 * expected));
    }

    [Fact]
    public void Membership_depends_on_the_id_alone_not_on_order_or_process()
    {
        var partition = new CorpusPartition(2, 5);
        var forward = partition.Select(Ids, id => id);
        var backward = partition.Select(Ids.Reverse().ToArray(), id => id);
        Assert.Equal(forward.Order(StringComparer.Ordinal), backward.Order(StringComparer.Ordinal));
        // Pinned: the first 8 bytes of SHA-256 of the UTF-8 id, little-endian, mod n. A change here would send a rerun's
        // examples to other partitions. The values are Python's hashlib on the same ids.
        Assert.Equal([0, 1, 0, 3, 3], PinnedIds.Select(id => Enumerable.Range(0, 5).Single(i => new CorpusPartition(i, 5).Contains(id))));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData(" 2 / 8 ", 2, 8)]
    public void Parses_i_over_n(string text, int index, int count) => Assert.Equal(new CorpusPartition(index, count), CorpusPartition.Parse(text));

    [Theory]
    [InlineData("4/4", "i must be below n")]
    [InlineData("0/0", "n must be at least 1")]
    [InlineData("-1/4", "is not i/n")]
    [InlineData("1", "is not i/n")]
    [InlineData("a/b", "is not i/n")]
    [InlineData("1/2/3", "is not i/n")]
    public void Refuses_what_is_not_a_partition(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => CorpusPartition.Parse(text)).Message, StringComparison.Ordinal);
}
