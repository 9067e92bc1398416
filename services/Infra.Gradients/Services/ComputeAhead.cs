using System.Threading.Channels;

namespace Infra.Gradients.Services;

/// <summary>
/// Produces results on a background task up to <c>depth</c> ahead of the consumer, so the model computes batch n+1
/// while the handler is still writing batch n to the wire: on a stream whose messages cost about as much CPU to send as
/// the batch did to compute, doing them one after the other leaves the cores idle in turns. With depth 0 nothing runs
/// ahead: every <see cref="NextAsync"/> computes its batch then and there (the service's behaviour before, kept for
/// comparison). Results come out in the order produced; an error surfaces after the results produced before it.
/// </summary>
/// <remarks>
/// Dispose before the handler returns (<c>await using</c>, declared after whatever the producer reads from, so it is
/// disposed first): disposing cancels the producer and waits for it, so no computation holds the model and no read of
/// the request stream is pending once the call is over, whether it ended normally, failed or was cancelled.
/// </remarks>
internal sealed class ComputeAhead<T> : IAsyncDisposable where T : class
{
    private readonly Func<CancellationToken, Task<T?>> _produce;
    private readonly Channel<T>? _channel;
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;

    /// <param name="produce">The next result, or null at the end; called one at a time, never concurrently.</param>
    /// <param name="depth">Results produced ahead of the consumer; 0 = none (produced on demand).</param>
    /// <param name="cancellationToken">The call's token; cancels the producer too.</param>
    public ComputeAhead(Func<CancellationToken, Task<T?>> produce, int depth, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        _produce = produce;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (depth == 0)
        {
            _producer = Task.CompletedTask;
            return;
        }
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        var stop = _stop.Token;
        var writer = _channel.Writer;
        _producer = Task.Run(async () =>
        {
            try
            {
                while (await produce(stop).ConfigureAwait(false) is { } item)
                    await writer.WriteAsync(item, stop).ConfigureAwait(false);
                writer.Complete();
            }
            catch (Exception ex)
            {
                writer.Complete(ex);
            }
        }, CancellationToken.None);
    }

    /// <summary>The next result, or null at the end. Rethrows the producer's error (its own exception, not a wrapper).</summary>
    public async Task<T?> NextAsync(CancellationToken cancellationToken)
    {
        if (_channel is null) return await _produce(cancellationToken).ConfigureAwait(false);
        // WaitToReadAsync returns true while produced items remain, then faults with the producer's exception.
        if (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _channel.Reader.TryRead(out var item))
            return item;
        await _channel.Reader.Completion.ConfigureAwait(false);
        return null;
    }

    /// <summary>Cancels the producer and waits until it has stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _producer.ConfigureAwait(false); // never faults: the producer hands every error to the channel
        _stop.Dispose();
    }
}
