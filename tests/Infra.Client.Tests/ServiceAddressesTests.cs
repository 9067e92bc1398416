using Infra.Client.Sharding;

namespace Infra.Client.Tests;

/// <summary>The gradients address setting reads lists as the scoring address does, its errors naming a gradients address.</summary>
public sealed class ServiceAddressesTests
{
    [Fact]
    public async Task A_gradients_list_is_several_workers_in_its_order_and_one_address_is_the_one_GradientService()
    {
        var one = GradientAddresses.Parse("http://127.0.0.1:5001");
        Assert.Equal(new Uri("http://127.0.0.1:5001"), one.Single);
        Assert.Equal(one.Single, one.First);

        var list = GradientAddresses.Parse("http://g1:1 , https://g0:2,dns:///localhost:5001");
        Assert.Null(list.Single);
        Assert.Equal(new Uri("http://g1:1"), list.First);
        var workers = await list.ResolveAsync(default);
        Assert.Equal(["http://g1:1/", "https://g0:2/"], workers.Take(2).Select(u => u.ToString()));
        Assert.Equal("127.0.0.1", workers[2].Host);
        Assert.All(workers.Skip(2), w => Assert.Equal(5001, w.Port));
    }

    [Fact]
    public void A_dns_name_first_is_that_name_over_http()
    {
        Assert.Equal(new Uri("http://gradients:8080"), GradientAddresses.Parse("dns:///gradients:8080,http://x:1").First);
        Assert.Equal(new Uri("http://gradients:8080"), GradientAddresses.Parse("dns://gradients:8080").First);
    }

    [Theory]
    [InlineData("", "gradients address list '' has an empty entry")]
    [InlineData("http://a:1,,http://b:2", "has an empty entry")]
    [InlineData("gradients:5001", "gradients address 'gradients:5001' is not an absolute http://, https:// or dns:/// address")]
    [InlineData("dns:///no-port", "gradients address 'dns:///no-port' must name a host and port")]
    public void Malformed_gradients_lists_are_refused_naming_a_gradients_address(string text, string message)
    {
        Assert.False(GradientAddresses.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains(message, Assert.Throws<FormatException>(() => GradientAddresses.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scoring_lists_keep_their_scoring_address_errors()
    {
        Assert.False(ScoringAddresses.TryParse("scoring:5002", out _, out var error));
        Assert.Equal("scoring address 'scoring:5002' is not an absolute http://, https:// or dns:/// address", error);
        Assert.Equal(ScoringAddresses.Noun, ScoringAddresses.Parse("http://a:1").Noun);
    }
}
