using Grpc.Health.V1;
using Grpc.Net.Client;
using Infra.Aggregation.Hosting;

namespace Infra.Aggregation.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Loopback_host_reports_serving_on_grpc_health()
    {
        var (app, address) = await AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = "http://127.0.0.1:1",
        });
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Missing_scoring_address_fails_start_up_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>()));
        Assert.Contains("ScoringAddress", error.Message, StringComparison.Ordinal);
    }
}
