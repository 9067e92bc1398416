namespace Infra.ServiceDefaults.Tests;

public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5001", true)]
    [InlineData("http://127.0.0.2:5001", true)]
    [InlineData("http://localhost:5001", true)]
    [InlineData("https://LOCALHOST:5001/", true)]
    [InlineData("http://[::1]:5001", true)]
    [InlineData("unix:/tmp/infra.sock", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://10.1.2.3:8080", false)]
    [InlineData("http://scoring:8080", false)]
    public void Loopback_addresses_are_told_apart_from_open_ones(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(address));

    [Fact]
    public void Keys_compare_by_value_only()
    {
        Assert.True(ApiKeyMetadata.Matches("0123456789abcdef", "0123456789abcdef"));
        Assert.False(ApiKeyMetadata.Matches("0123456789abcdef", "0123456789abcdeF"));
        Assert.False(ApiKeyMetadata.Matches("0123456789abcdef", "0123456789abcde"));
        Assert.False(ApiKeyMetadata.Matches("0123456789abcdef", null));
    }
}
