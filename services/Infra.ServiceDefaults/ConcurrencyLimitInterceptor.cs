using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Infra.ServiceDefaults;

/// <summary>
/// Bounds the calls a service runs at once (<see cref="ConcurrencyOptions"/>): beyond the limit a call
/// queues briefly, then ends with <see cref="StatusCode.ResourceExhausted"/> before the handler runs.
/// A streaming call holds its slot until the handler returns. grpc.health.v1 is exempt.
/// </summary>
public sealed class ConcurrencyLimitInterceptor : Interceptor, IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrencyOptions _options;
    private int _queued;

    public ConcurrencyLimitInterceptor(IOptions<ConcurrencyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.MaxConcurrentCalls, _options.MaxConcurrentCalls);
    }

    /// <summary>Calls running now (for tests and metrics).</summary>
    public int Running => _options.MaxConcurrentCalls - _slots.CurrentCount;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (!await EnterAsync(context).ConfigureAwait(false)) return await continuation(request, context).ConfigureAwait(false);
        try { return await continuation(request, context).ConfigureAwait(false); }
        finally { _slots.Release(); }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (!await EnterAsync(context).ConfigureAwait(false)) return await continuation(requestStream, context).ConfigureAwait(false);
        try { return await continuation(requestStream, context).ConfigureAwait(false); }
        finally { _slots.Release(); }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (!await EnterAsync(context).ConfigureAwait(false)) { await continuation(request, responseStream, context).ConfigureAwait(false); return; }
        try { await continuation(request, responseStream, context).ConfigureAwait(false); }
        finally { _slots.Release(); }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (!await EnterAsync(context).ConfigureAwait(false)) { await continuation(requestStream, responseStream, context).ConfigureAwait(false); return; }
        try { await continuation(requestStream, responseStream, context).ConfigureAwait(false); }
        finally { _slots.Release(); }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>Takes a slot (true) or, for an exempt method, none (false); throws RESOURCE_EXHAUSTED when none frees in time.</summary>
    private async Task<bool> EnterAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method.StartsWith(ApiKeyInterceptor.OpenPrefix, StringComparison.Ordinal)) return false;
        if (_slots.Wait(0)) return true;
        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedCalls)
        {
            Interlocked.Decrement(ref _queued);
            throw Exhausted(context, "its queue is full too");
        }
        try
        {
            if (await _slots.WaitAsync(TimeSpan.FromMilliseconds(_options.QueueWaitMilliseconds), context.CancellationToken).ConfigureAwait(false))
                return true;
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call ended while waiting for a free slot"));
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
        throw Exhausted(context, $"no slot freed within {_options.QueueWaitMilliseconds} ms");
    }

    private RpcException Exhausted(ServerCallContext context, string why) =>
        new(new Status(StatusCode.ResourceExhausted,
            $"{context.Method}: this service already runs {_options.MaxConcurrentCalls} calls ({ConcurrencyOptions.Section}:MaxConcurrentCalls) and {why}; retry with backoff"));
}
