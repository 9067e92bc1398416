using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grpc.Core;

namespace Infra.Client.Workers;

/// <summary>
/// Units of work spread over GradientService workers: the units wait in one shared queue, and each worker pulls the next
/// as soon as its previous one is done (one call in flight per worker), so faster workers do more. A unit whose call fails
/// the way a dead worker's does (UNAVAILABLE and the like) is followed by a health check of that worker: when the worker
/// does not answer it, the unit goes back to the queue, the worker is retired for the rest of the run (reported through
/// <see cref="GradientWorkerSet.WorkerRetired"/>) and the others finish; when no worker is left the run is UNAVAILABLE
/// naming them all. Any other failure — including the same status from a worker that is still serving, which is the
/// failure of what the worker called (a ScoringService shard) — fails the run with that unit's error and cancels the
/// other calls in flight.
/// </summary>
public static class WorkerPool
{
    /// <summary>Runs <paramref name="work"/> once for every unit (twice or more only for a unit whose worker died under it).</summary>
    /// <param name="workers">The workers of the run (see <see cref="GradientWorkerSet.WorkersAsync"/>).</param>
    /// <param name="units">The units, queued in this order.</param>
    /// <param name="work">One unit on one worker; its token is cancelled when the run fails.</param>
    /// <param name="set">Whose <see cref="GradientWorkerSet.WorkerRetired"/> hears of retirements and whose health timeout applies.</param>
    /// <exception cref="RpcException">A unit's own failure, or UNAVAILABLE naming every worker when none is left.</exception>
    public static async Task RunAsync<TUnit>(IReadOnlyList<GradientWorker> workers, IReadOnlyList<TUnit> units, Func<GradientWorker, TUnit, CancellationToken, Task> work,
        GradientWorkerSet set, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(set);
        if (units.Count == 0) return;
        if (workers.Count == 0) throw new ArgumentException("a run needs at least one worker", nameof(workers));
        var queue = Channel.CreateUnbounded<TUnit>();
        foreach (var unit in units) queue.Writer.TryWrite(unit);
        var run = new Run<TUnit>(queue, units.Count, workers.Count, set, work, token);
        await Task.WhenAll(workers.Select(run.ServeAsync)).ConfigureAwait(false);
        run.ThrowIfFailed();
    }

    // Statuses a worker that died, restarted or lost its connection answers with; anything else is the unit's own answer.
    internal static bool MayBeWorkerDown(StatusCode code) => code is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted;

    private sealed class Run<TUnit>(Channel<TUnit> queue, int pending, int alive, GradientWorkerSet set, Func<GradientWorker, TUnit, CancellationToken, Task> work,
        CancellationToken token)
    {
        private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        private readonly List<WorkerRetirement> _retired = [];
        private ExceptionDispatchInfo? _failure;
        private int _pending = pending;
        private int _alive = alive;

        public async Task ServeAsync(GradientWorker worker)
        {
            try
            {
                await foreach (var unit in queue.Reader.ReadAllAsync(_cancel.Token).ConfigureAwait(false))
                {
                    if (!await RunUnitAsync(worker, unit).ConfigureAwait(false)) return;
                    // The last unit done ends every worker's loop; a requeued unit is still pending, so nobody leaves early.
                    if (Interlocked.Decrement(ref _pending) == 0) queue.Writer.TryComplete();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !_cancel.IsCancellationRequested)
            {
                Fail(e);
            }
            catch (OperationCanceledException)
            {
                // Another unit failed (or the caller cancelled): that is the run's outcome, not this.
            }
        }

        public void ThrowIfFailed()
        {
            _cancel.Dispose();
            _failure?.Throw();
            token.ThrowIfCancellationRequested();
            if (_pending > 0)
            {
                lock (_retired)
                {
                    var names = string.Join("; ", _retired.OrderBy(r => r.Worker.Index).Select(r => $"{r.Worker.Name} ({r.Error.StatusCode}: {r.Error.Status.Detail})"));
                    throw new RpcException(new Status(StatusCode.Unavailable, $"no GradientService worker is left at {set.Addresses}: {names}"));
                }
            }
        }

        // False when the worker was retired (its unit back in the queue).
        private async Task<bool> RunUnitAsync(GradientWorker worker, TUnit unit)
        {
            RpcException error;
            try
            {
                await work(worker, unit, _cancel.Token).ConfigureAwait(false);
                return true;
            }
            catch (RpcException e) when (!_cancel.IsCancellationRequested && MayBeWorkerDown(e.StatusCode))
            {
                error = e;
            }
            // A worker that still serves made the call fail for another reason (its shard): the run's failure, not the worker's.
            if (await worker.IsServingAsync(set.HealthTimeout, _cancel.Token).ConfigureAwait(false)) ExceptionDispatchInfo.Throw(error);
            Retire(worker, unit, error);
            return false;
        }

        private void Retire(GradientWorker worker, TUnit unit, RpcException error)
        {
            // Requeued before the worker count drops, so a worker still reading always finds it.
            queue.Writer.TryWrite(unit);
            var left = Interlocked.Decrement(ref _alive);
            var retirement = new WorkerRetirement(worker, error, left);
            lock (_retired) _retired.Add(retirement);
            set.WorkerRetired?.Invoke(retirement);
            if (left == 0) queue.Writer.TryComplete();
        }

        private void Fail(Exception error)
        {
            if (Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(error), null) is null) _cancel.Cancel();
            queue.Writer.TryComplete();
        }
    }
}
