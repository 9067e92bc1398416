using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Infra.Contracts.Aggregation.V1;
using Infra.Testing;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// An AggregationService whose Aggregation:GradientAddress names several GradientService workers: the fixture's, a
/// second one on the same model and factors, and one that is down. Its exact reranks and exact token scores (spread over
/// the workers, the dead one retired) equal those of the AggregationService on the fixture's one GradientService, bit for bit.
/// </summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GradientWorkersTests(ServicesFixture fixture)
{
    [Fact]
    public async Task TopK_over_two_workers_and_a_dead_one_equals_TopK_over_one_GradientService()
    {
        var (second, secondAddress) = await LoopbackHosts.StartGradientsAsync(LoopbackHosts.GradientBuilder(fixture.ModelPath, Path.Combine(fixture.Root, "factors")));
        await using var _ = second;
        var workers = $"{fixture.GradientAddress},{secondAddress},http://127.0.0.1:{ClosedPort()}";
        var (app, address) = await LoopbackHosts.StartAggregationAsync(fixture.ScoringAddress, null, fixture.Root,
            new Dictionary<string, string?> { ["Aggregation:GradientAddress"] = workers });
        await using var __ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var spread = new AggregationService.AggregationServiceClient(channel);

        var request = new TopKRequest
        {
            Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Candidates = (uint)fixture.Training.Count }, K = 5, Sequences = 3,
        };
        var expected = await fixture.Aggregation.TopKAsync(request);
        var actual = await spread.TopKAsync(request);
        Assert.NotEmpty(expected.Queries);
        Assert.All(expected.Queries, q => Assert.NotEmpty(q.TopSequences));
        Assert.Equal(expected, actual);
    }

    // A loopback port nothing listens on (bound, then released): calls to it fail as a dead worker's do.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
