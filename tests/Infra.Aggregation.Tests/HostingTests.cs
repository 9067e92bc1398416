using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Infra.Aggregation.Hosting;
using Infra.Contracts.Aggregation.V1;

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

    [Fact]
    public async Task A_malformed_scoring_shard_list_fails_start_up_naming_the_entry()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = "http://127.0.0.1:1,scoring:5002",
        }));
        Assert.Contains("ScoringAddress", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scoring:5002'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_a_shard_list_a_shard_that_is_down_is_unavailable_naming_it()
    {
        // Two shards, nothing listening on either: the first (in shard order) is the one named, never an empty answer.
        var (app, address) = await AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = "http://127.0.0.1:1,http://127.0.0.1:2",
        });
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var client = new AggregationService.AggregationServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = "set" } }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("ScoringService shard 0 of 2 at http://127.0.0.1:1/", error.Status.Detail, StringComparison.Ordinal);
    }
}
