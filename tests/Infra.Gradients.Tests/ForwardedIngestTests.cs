using Grpc.Core;
using Infra.Contracts.Scoring.V1;
using Infra.Gradients.Services;

namespace Infra.Gradients.Tests;

/// <summary>A forward that fails is reported as the ScoringService's failure: its status code and message, not Unavailable.</summary>
public sealed class ForwardedIngestTests
{
    [Theory]
    [InlineData(StatusCode.ResourceExhausted, "no space left on the store's disk")]
    [InlineData(StatusCode.Internal, "internal error (correlation id 0123)")]
    [InlineData(StatusCode.InvalidArgument, "example 'a': dims differ")]
    public async Task The_stores_status_passes_through_when_a_write_fails(StatusCode code, string detail)
    {
        using var ingest = new ForwardedIngest(Ended(new Status(code, detail), failWrites: true), "http://127.0.0.1:5002/");
        var error = await Assert.ThrowsAsync<RpcException>(() => ingest.WriteAsync(new IngestRequest(), CancellationToken.None));
        Assert.Equal(code, error.StatusCode);
        Assert.Equal($"forwarding to the ScoringService at http://127.0.0.1:5002/ failed: {detail}", error.Status.Detail);
    }

    [Fact]
    public async Task The_stores_status_passes_through_at_completion()
    {
        using var ingest = new ForwardedIngest(Ended(new Status(StatusCode.ResourceExhausted, "disk full"), failWrites: false), "http://127.0.0.1:5002/");
        var error = await Assert.ThrowsAsync<RpcException>(() => ingest.CompleteAsync(CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_call_that_never_got_a_status_is_unavailable()
    {
        using var ingest = new ForwardedIngest(Ended(new Status(StatusCode.Cancelled, "stream reset"), failWrites: true), "http://127.0.0.1:5002/");
        var error = await Assert.ThrowsAsync<RpcException>(() => ingest.WriteAsync(new IngestRequest(), CancellationToken.None));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    // An ingest call the ScoringService has ended with `status`; writes fail as a reset stream does (Cancelled).
    private static AsyncClientStreamingCall<IngestRequest, IngestResponse> Ended(Status status, bool failWrites) =>
        new(new Writer(failWrites), Task.FromException<IngestResponse>(new RpcException(status)), Task.FromResult(new Metadata()),
            () => status, () => [], () => { });

    private sealed class Writer(bool fail) : IClientStreamWriter<IngestRequest>
    {
        public WriteOptions? WriteOptions { get; set; }
        public Task WriteAsync(IngestRequest message) => fail ? Task.FromException(new RpcException(new Status(StatusCode.Cancelled, "reset"))) : Task.CompletedTask;
        public Task CompleteAsync() => Task.CompletedTask;
    }
}
