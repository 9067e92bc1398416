using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// A server interceptor on the downstream services that records every call's method and deadline, and signals when a
/// call starts and when its cancellation token fires: what the AggregationService propagated.
/// </summary>
public sealed class CallRecorder : Interceptor
{
    public ConcurrentQueue<(string Method, DateTime Deadline)> Calls { get; } = new();

    /// <summary>Which methods <see cref="Started"/> and <see cref="Cancelled"/> watch (suffix of the full method name); "" = every one.</summary>
    public string Watch { get; set; } = "";

    /// <summary>Set on the next watched call that starts (replace it to wait for another).</summary>
    public TaskCompletionSource<string> Started { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a call's cancellation token fires (cancelled or past its deadline).</summary>
    public TaskCompletionSource<string> Cancelled { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// When set, a watched unary call waits for its own cancellation before it runs, so a test that cancels upstream
    /// finds it in flight however fast the real handler would have finished (a short generation can end before a
    /// cancel arrives, and a finished call's token never fires).
    /// </summary>
    public bool Hold { get; set; }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (Record(context) && Hold) await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Record(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Record(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Record(context);
        return continuation(requestStream, responseStream, context);
    }

    // Records the call; true when it is a watched one.
    private bool Record(ServerCallContext context)
    {
        var method = context.Method;
        Calls.Enqueue((method, context.Deadline));
        if (!method.EndsWith(Watch, StringComparison.Ordinal)) return false;
        var cancelled = Cancelled;
        context.CancellationToken.Register(() => cancelled.TrySetResult(method));
        Started.TrySetResult(method);
        return true;
    }
}
