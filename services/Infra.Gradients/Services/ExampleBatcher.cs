using System.Threading.Channels;
using Grpc.Core;

namespace Infra.Gradients.Services;

/// <summary>
/// Reads a client stream into a bounded channel on a background task (so the next batch arrives
/// while this one computes) and hands out full batches of <c>batchSize</c>, the last one possibly
/// shorter. Batches are full rather than "whatever has arrived" so that results do not depend on
/// network timing: the same corpus and batch size give bit-identical factors on every run (float
/// sums vary slightly with batch shape). A client that waits for results before sending more must
/// therefore use a batch size of 1. The bounded channel holds at most two batches, so HTTP/2 flow
/// control pushes back on a fast client.
/// </summary>
/// <remarks>
/// The handler must dispose the batcher before it returns (<c>await using</c>): disposing stops the background read and
/// waits for it. A handler that ends (say, on a bad example) while a read of its request stream is still pending hands
/// Kestrel back an HTTP/2 stream with a read in progress; Kestrel pools and reuses those streams, and the next call on
/// the connection then fails before any interceptor with UNKNOWN "Reading is already in progress".
/// </remarks>
internal sealed class ExampleBatcher<TRequest, TItem> : IAsyncDisposable
{
    private readonly Channel<TItem> _channel;
    private readonly int _batchSize;
    private readonly CancellationTokenSource _stop;
    private readonly Task _reader;

    public ExampleBatcher(IAsyncStreamReader<TRequest> requests, Func<TRequest, TItem> select, int batchSize, CancellationToken cancellationToken)
    {
        _batchSize = batchSize;
        _channel = Channel.CreateBounded<TItem>(new BoundedChannelOptions(2 * batchSize) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stop = _stop.Token;
        _reader = Task.Run(async () =>
        {
            try
            {
                while (await requests.MoveNext(stop).ConfigureAwait(false))
                    await _channel.Writer.WriteAsync(select(requests.Current), stop).ConfigureAwait(false);
                _channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                _channel.Writer.Complete(ex);
            }
        }, CancellationToken.None);
    }

    /// <summary>Stops the background read and waits until no read of the request stream is pending.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false); // never faults: the reader hands every error to the channel
        _stop.Dispose();
    }

    /// <summary>The next batch, or null at the end of the stream. Rethrows a reading or selection error.</summary>
    public async Task<List<TItem>?> NextAsync(CancellationToken cancellationToken)
    {
        if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _reader.ConfigureAwait(false);
            await _channel.Reader.Completion.ConfigureAwait(false);
            return null;
        }
        var batch = new List<TItem>(_batchSize);
        while (batch.Count < _batchSize)
        {
            if (_channel.Reader.TryRead(out var item))
                batch.Add(item);
            else if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                break;
        }
        if (batch.Count < _batchSize)
            await _channel.Reader.Completion.ConfigureAwait(false); // surfaces a reading or selection error
        return batch;
    }
}
