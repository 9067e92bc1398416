using Infra.Gradients.Services;

namespace Infra.Gradients.Tests;

/// <summary>
/// The compute-ahead pipeline of ComputeGradients: results in order, errors after the results produced before them and
/// as the producer's own exception, and a disposed pipeline has stopped its producer (no computation left holding the
/// model, no read of the request stream pending).
/// </summary>
public sealed class ComputeAheadTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Results_come_out_in_the_order_produced_then_null(int depth)
    {
        var next = 0;
        await using var ahead = new ComputeAhead<string>(async _ =>
        {
            await Task.Yield();
            return next < 20 ? $"b{next++}" : null;
        }, depth, CancellationToken.None);
        var seen = new List<string>();
        while (await ahead.NextAsync(CancellationToken.None) is { } item) seen.Add(item);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"b{i}"), seen);
        Assert.Null(await ahead.NextAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_error_surfaces_after_the_results_before_it_as_the_same_exception(int depth)
    {
        var failure = new InvalidOperationException("example 'bad' is broken");
        var next = 0;
        await using var ahead = new ComputeAhead<string>(_ => next < 2 ? Task.FromResult<string?>($"b{next++}") : throw failure, depth, CancellationToken.None);
        Assert.Equal("b0", await ahead.NextAsync(CancellationToken.None));
        Assert.Equal("b1", await ahead.NextAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ahead.NextAsync(CancellationToken.None));
        Assert.Same(failure, error);
    }

    [Fact]
    public async Task With_depth_one_the_next_result_is_produced_while_the_consumer_still_works_on_this_one()
    {
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = 0;
        await using var ahead = new ComputeAhead<string>(_ =>
        {
            if (next == 1) secondStarted.TrySetResult();
            return Task.FromResult<string?>(next < 3 ? $"b{next++}" : null);
        }, 1, CancellationToken.None);
        Assert.Equal("b0", await ahead.NextAsync(CancellationToken.None));
        // The consumer has not asked for b1 yet: it is being (or has been) produced anyway.
        await secondStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("b1", await ahead.NextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_mid_stream_cancels_the_producer_and_waits_until_it_has_stopped()
    {
        var running = 0;
        var produced = 0;
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ahead = new ComputeAhead<string>(async stop =>
        {
            Interlocked.Increment(ref running);
            try
            {
                if (Volatile.Read(ref produced) == 2)
                {
                    blocked.TrySetResult();
                    // A batch that waits (for the model, for the request stream) until the call is cancelled.
                    await Task.Delay(Timeout.Infinite, stop);
                }
                return $"b{Interlocked.Increment(ref produced) - 1}";
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, 1, CancellationToken.None);
        Assert.Equal("b0", await ahead.NextAsync(CancellationToken.None));
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Volatile.Read(ref running));
        await ahead.DisposeAsync();
        Assert.Equal(0, Volatile.Read(ref running));
        Assert.Equal(2, Volatile.Read(ref produced));
    }

    [Fact]
    public async Task A_cancelled_call_ends_the_wait_for_the_next_result()
    {
        using var call = new CancellationTokenSource();
        await using var ahead = new ComputeAhead<string>(async stop =>
        {
            await Task.Delay(Timeout.Infinite, stop);
            return "never";
        }, 1, call.Token);
        var waiting = ahead.NextAsync(call.Token);
        await call.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
