using System.Net.Sockets;
using Grpc.Core;
using Infra.Client.Sharding;
using Infra.Contracts.Gradients.V1;

namespace Infra.Client.Workers;

/// <summary>
/// The GradientService workers of Gradients:Address, resolved on first use (a dns:// name is looked up then, so workers
/// that come up after this process are found) and kept. Any worker computes what any other does (same model, same code),
/// so work is spread over them by <see cref="WorkerPool"/>; a worker found down is retired for that run and reported
/// through <see cref="WorkerRetired"/>.
/// </summary>
public sealed class GradientWorkerSet
{
    private readonly Func<Uri, CallInvoker> _invokerFor;
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<GradientWorker>>? _workers;

    /// <param name="addresses">Where the workers are.</param>
    /// <param name="invokerFor">The call invoker of one worker's address (its channel, API key, propagation).</param>
    /// <param name="retired">Told about each worker retired during a run (the CLI writes it to stderr, the AggregationService logs it); may be null.</param>
    public GradientWorkerSet(ServiceAddresses addresses, Func<Uri, CallInvoker> invokerFor, Action<WorkerRetirement>? retired = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(invokerFor);
        (Addresses, _invokerFor, WorkerRetired) = (addresses, invokerFor, retired);
    }

    /// <summary>The configured addresses (named in errors).</summary>
    public ServiceAddresses Addresses { get; }

    /// <summary>Whether the configuration names one GradientService (one http(s) address): then every call is today's single call.</summary>
    public bool IsSingle => Addresses.Single is not null;

    /// <summary>Told about each worker retired during a run; null when nobody listens.</summary>
    public Action<WorkerRetirement>? WorkerRetired { get; }

    /// <summary>Told about each worker passed over by <see cref="FirstServingAsync"/>; null when nobody listens. Defaults to null.</summary>
    public Action<WorkerSkip>? WorkerSkipped { get; init; }

    /// <summary>
    /// How long a worker has to answer its health check before it is taken for down: after a failed call, and when
    /// <see cref="FirstServingAsync"/> chooses a worker. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The workers in list order; a dns:// name that does not resolve is UNAVAILABLE naming it (and is tried again next time).</summary>
    public Task<IReadOnlyList<GradientWorker>> WorkersAsync(CancellationToken token)
    {
        lock (_gate)
        {
            // One resolution shared by concurrent first calls; a failed one is not kept.
            if (_workers is null || _workers.IsFaulted || _workers.IsCanceled) _workers = ResolveAsync();
            return _workers.WaitAsync(token);
        }
    }

    /// <summary>
    /// The batch size a request with batch_size 0 gets: the workers' <c>default_batch_size</c> (GetModelInfo), asked of the
    /// first that answers, and 8 (the service's documented default) from a GradientService too old to report it. Work
    /// spread over the workers is cut into whole batches of this size, where one GradientService would cut them.
    /// </summary>
    /// <exception cref="RpcException">UNAVAILABLE naming the workers when none answers.</exception>
    public async Task<int> DefaultBatchSizeAsync(IReadOnlyList<GradientWorker> workers, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(workers);
        RpcException? last = null;
        foreach (var worker in workers)
        {
            try
            {
                var info = await worker.Client.GetModelInfoAsync(new GetModelInfoRequest(), cancellationToken: token).ConfigureAwait(false);
                return info.DefaultBatchSize > 0 ? (int)info.DefaultBatchSize : ServiceDefaultBatchSize;
            }
            catch (RpcException e) when (WorkerPool.MayBeWorkerDown(e.StatusCode))
            {
                last = e;
            }
        }
        throw new RpcException(new Status(StatusCode.Unavailable, $"no GradientService worker at {Addresses} answers: {last?.Status.Detail}"));
    }

    /// <summary>
    /// The worker for a call that one GradientService makes whole (an EK-FAC fit pass): the first in list order that
    /// answers its health check with SERVING within <see cref="HealthTimeout"/>, so the same set of healthy workers always
    /// gives the same worker. Every worker is asked at once (a dead one costs at most one timeout, not one each); each one
    /// before the chosen that is not serving is reported through <see cref="WorkerSkipped"/>.
    /// </summary>
    /// <param name="work">What the call is, as the reports and the error name it ("EK-FAC fit 'ekfac', covariance pass").</param>
    /// <param name="token">Cancels the checks.</param>
    /// <exception cref="RpcException">UNAVAILABLE naming every worker and <paramref name="work"/> when none is serving.</exception>
    public async Task<GradientWorker> FirstServingAsync(string work, CancellationToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(work);
        var workers = await WorkersAsync(token).ConfigureAwait(false);
        // Not cancelled by the token: the checks after the chosen one end on their own deadline, never throwing unobserved.
        var checks = workers.Select(w => w.IsServingAsync(HealthTimeout, CancellationToken.None)).ToList();
        for (var i = 0; i < workers.Count; i++)
        {
            if (!await checks[i].WaitAsync(token).ConfigureAwait(false)) continue;
            foreach (var skipped in workers.Take(i)) WorkerSkipped?.Invoke(new WorkerSkip(skipped, work, workers[i]));
            return workers[i];
        }
        throw new RpcException(new Status(StatusCode.Unavailable,
            $"no GradientService worker is serving for {work}: {string.Join("; ", workers.Select(w => w.Name))}"));
    }

    // What a GradientService older than GetModelInfo.default_batch_size batches by (its documented default).
    private const int ServiceDefaultBatchSize = 8;

    private async Task<IReadOnlyList<GradientWorker>> ResolveAsync()
    {
        IReadOnlyList<Uri> uris;
        try
        {
            uris = await Addresses.ResolveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the GradientService workers at {Addresses} cannot be resolved: {e.Message}"));
        }
        return uris.Select((uri, i) => new GradientWorker(i, uris.Count, uri, _invokerFor(uri))).ToList();
    }
}
