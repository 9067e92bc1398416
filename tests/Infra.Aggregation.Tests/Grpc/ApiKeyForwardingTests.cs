using Grpc.Core;
using Infra.Aggregation.Hosting;
using Infra.Contracts.Aggregation.V1;
using Infra.Scoring.Hosting;
using Infra.ServiceDefaults;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>With API keys on, the AggregationService passes its forward key to the ScoringService.</summary>
public sealed class ApiKeyForwardingTests : IDisposable
{
    private const string Key = "aggregation-test-key-0123456789";
    private readonly string _store = Path.Combine(Path.GetTempPath(), "infra-agg-key-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(Key, StatusCode.FailedPrecondition)]          // through to the (empty) store: the key was accepted
    [InlineData("wrong-forward-key-0123456789", StatusCode.Unauthenticated)]
    public async Task Downstream_calls_carry_the_forward_key(string forwardKey, StatusCode expected)
    {
        var (scoring, scoringAddress) = await ScoringServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = _store,
            ["Security:ApiKey"] = Key,
        });
        await using var _ = scoring;
        var (aggregation, address) = await AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = scoringAddress.ToString(),
            ["Security:ApiKey"] = Key,
            ["Security:ForwardApiKey"] = forwardKey,
        });
        await using var __ = aggregation;
        using var channel = InfraChannel.Create(address, Key);
        var client = new AggregationService.AggregationServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Aggregate(new AggregateRequest { Queries = new QuerySelection { QuerySet = "x" } }).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        Assert.True(error.StatusCode == expected, $"{error.StatusCode}: {error.Status.Detail}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_store)) Directory.Delete(_store, recursive: true);
    }
}
