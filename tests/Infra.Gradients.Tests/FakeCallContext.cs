using Grpc.Core;

namespace Infra.Gradients.Tests;

/// <summary>A <see cref="ServerCallContext"/> for calling an interceptor directly: a method name, a deadline and a token.</summary>
internal sealed class FakeCallContext(DateTime deadline, CancellationToken token) : ServerCallContext
{
    public FakeCallContext()
        : this(DateTime.MaxValue, CancellationToken.None)
    {
    }

    protected override string MethodCore => "/infra.gradients.v1.GradientService/Test";
    protected override string HostCore => "localhost";
    protected override string PeerCore => "ipv4:127.0.0.1:1";
    protected override DateTime DeadlineCore => deadline;
    protected override Metadata RequestHeadersCore { get; } = [];
    protected override CancellationToken CancellationTokenCore => token;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore => new(null, []);
    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
