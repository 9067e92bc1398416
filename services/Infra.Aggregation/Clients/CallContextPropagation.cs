using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Infra.Aggregation.Clients;

/// <summary>
/// Gives a downstream call made while serving a request that request's deadline and cancellation, as Grpc.Net.ClientFactory's
/// EnableCallContextPropagation does for its clients: the sharded ScoringService client is built by hand (its shards are
/// known only once resolved), so it carries this instead. A call's own deadline and token win; outside a request, nothing
/// changes.
/// </summary>
internal sealed class CallContextPropagation(IHttpContextAccessor accessor) : Interceptor
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation) => continuation(request, Propagate(context));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) => continuation(request, Propagate(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Propagate(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context,
        AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) => continuation(Propagate(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context,
        AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) => continuation(Propagate(context));

    private ClientInterceptorContext<TRequest, TResponse> Propagate<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (accessor.HttpContext?.Features.Get<IServerCallContextFeature>()?.ServerCallContext is not { } server) return context;
        var options = context.Options;
        if (options.Deadline is null && server.Deadline != DateTime.MaxValue) options = options.WithDeadline(server.Deadline);
        if (!options.CancellationToken.CanBeCanceled) options = options.WithCancellationToken(server.CancellationToken);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
    }
}
