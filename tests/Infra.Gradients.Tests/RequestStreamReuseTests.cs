using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using WireProjection = Infra.Contracts.Gradients.V1.ProjectionSpec;

namespace Infra.Gradients.Tests;

/// <summary>
/// A streaming call that fails while the server still waits for the client's next message must not poison the
/// connection: Kestrel pools HTTP/2 streams, and a handler that returned with a read of its request stream pending
/// made a later call on a reused stream fail with UNKNOWN "Reading is already in progress" (seen in CI as a
/// Generate that failed in 35 ms instead of reaching its deadline).
/// </summary>
public sealed class RequestStreamReuseTests(LoopbackHostFixture fixture) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    [Theory]
    [InlineData("ComputeGradients")]
    [InlineData("FitFactors")]
    public async Task A_stream_that_fails_with_the_request_stream_open_leaves_the_connection_usable(string method)
    {
        for (var round = 0; round < 12; round++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => method == "ComputeGradients" ? FailComputeGradients() : FailFitFactors());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("the prompt is empty", error.Status.Detail, StringComparison.Ordinal);
            // Unary calls with a request body on the same connection, as the failing Generate was.
            for (var i = 0; i < 4; i++)
            {
                var info = await _client.GetModelInfoAsync(new GetModelInfoRequest { Projection = new WireProjection { KIn = 8, KOut = 8 } });
                Assert.NotEmpty(info.Layers);
            }
        }
    }

    // The bad example is read by the background reader and fails in the handler; the client never completes its
    // request stream, so the reader is waiting for the next message when the handler fails.
    private async Task FailComputeGradients()
    {
        using var call = _client.ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions { Projection = new WireProjection { KIn = 8, KOut = 8 }, IncludeTokenFactors = true, BatchSize = 1 },
        });
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = GradientClient.Chat("bad", "", "an answer") });
        await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
    }

    private async Task FailFitFactors()
    {
        using var call = _client.FitFactors();
        await call.RequestStream.WriteAsync(new FitFactorsRequest
        {
            Options = new FitFactorsOptions { Name = "reuse", Phase = FitPhase.Covariance, Overwrite = true, BatchSize = 1 },
        });
        await call.RequestStream.WriteAsync(new FitFactorsRequest { Example = GradientClient.Chat("bad", "", "an answer") });
        await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
    }
}
