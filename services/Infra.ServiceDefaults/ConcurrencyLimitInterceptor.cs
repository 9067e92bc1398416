using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Infra.ServiceDefaults;

/// <summary>
/// Bounds the calls a service runs at once (<see cref="ConcurrencyOptions"/>): beyond the limit a call
/// queues briefly, then ends with <see cref="StatusCode.ResourceExhausted"/> before the handler runs.
/// A streaming call holds its slot until the handler returns. grpc.health.v1 is exempt.
/// The limiting itself is System.Threading.RateLimiting's <see cref="ConcurrencyLimiter"/> (oldest queued call first);
/// this class only adds the wait's time limit, the exemption and the gRPC statuses.
/// </summary>
public sealed class ConcurrencyLimitInterceptor : Interceptor, IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly ConcurrencyOptions _options;

    public ConcurrencyLimitInterceptor(IOptions<ConcurrencyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxConcurrentCalls,
            QueueLimit = _options.MaxQueuedCalls,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Calls running now (for tests and metrics).</summary>
    public int Running => _options.MaxConcurrentCalls - (int)(_limiter.GetStatistics()?.CurrentAvailablePermits ?? _options.MaxConcurrentCalls);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// The call's slot, released when disposed; null for an exempt method. Throws RESOURCE_EXHAUSTED when the queue is
    /// full or no slot frees within the wait, CANCELLED when the call ends while waiting.
    /// </summary>
    private async Task<RateLimitLease?> EnterAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method.StartsWith(ApiKeyInterceptor.OpenPrefix, StringComparison.Ordinal)) return null;
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        try
        {
            // Queued (or refused, queue full) before the wait's clock starts: a full queue is refused as such even with no wait.
            var queued = _limiter.AcquireAsync(1, wait.Token);
            wait.CancelAfter(TimeSpan.FromMilliseconds(_options.QueueWaitMilliseconds));
            lease = await queued.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call ended while waiting for a free slot"));
        }
        catch (OperationCanceledException)
        {
            throw Exhausted(context, $"no slot freed within {_options.QueueWaitMilliseconds} ms");
        }
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw Exhausted(context, "its queue is full too");
    }

    private RpcException Exhausted(ServerCallContext context, string why) =>
        new(new Status(StatusCode.ResourceExhausted,
            $"{context.Method}: this service already runs {_options.MaxConcurrentCalls} calls ({ConcurrencyOptions.Section}:MaxConcurrentCalls) and {why}; retry with backoff"));
}
