using Infra.Client.Pipeline;
using Infra.Client.Sharding;

namespace Infra.Client.Tests;

/// <summary>The scoring address setting: one store, a list of shards, dns:// names; and shard i holds partition i.</summary>
public sealed class ScoringAddressesTests
{
    [Fact]
    public async Task One_http_address_is_the_single_store_and_a_list_is_shards_in_its_order()
    {
        Assert.Equal(new Uri("http://127.0.0.1:5002"), ScoringAddresses.Parse("http://127.0.0.1:5002").Single);
        var list = ScoringAddresses.Parse("http://b:1, https://a:2 ,http://c:3");
        Assert.Null(list.Single);
        Assert.Equal(["http://b:1/", "https://a:2/", "http://c:3/"], (await list.ResolveAsync(default)).Select(u => u.ToString()));
    }

    [Theory]
    [InlineData("dns:///localhost:5002")]
    [InlineData("dns://localhost:5002")]
    public async Task A_dns_name_is_one_shard_per_address_it_resolves_to_in_a_stable_order(string text)
    {
        var addresses = ScoringAddresses.Parse(text);
        Assert.Null(addresses.Single);
        var shards = await addresses.ResolveAsync(default);
        Assert.NotEmpty(shards);
        Assert.All(shards, s => Assert.Equal(5002, s.Port));
        Assert.Contains(shards, s => s.Host == "127.0.0.1");
        Assert.Equal(shards, await addresses.ResolveAsync(default));
        Assert.Equal("127.0.0.1", shards[0].Host); // IPv4 first
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://a:1,,http://b:2")]
    [InlineData("scoring:5002")]
    [InlineData("ftp://a:1")]
    [InlineData("dns:///no-port")]
    public void Malformed_lists_are_refused_naming_the_entry(string text)
    {
        Assert.False(ScoringAddresses.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => ScoringAddresses.Parse(text));
    }

    [Fact]
    public void Shard_i_of_n_holds_exactly_partition_i_of_n()
    {
        var ids = Enumerable.Range(0, 500).Select(i => $"ex-{i}").ToList();
        var routed = ScoringShardSet.Route(ids, 3);
        for (var shard = 0; shard < 3; shard++)
            Assert.Equal(new CorpusPartition(shard, 3).Select(ids, id => id), routed[shard]);
        Assert.Equal(ids, ScoringShardSet.Route(ids, 1)[0]);
    }
}
