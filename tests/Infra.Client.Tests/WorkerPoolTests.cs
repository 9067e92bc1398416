using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Infra.Client.Sharding;
using Infra.Client.Workers;
using Microsoft.AspNetCore.Builder;

namespace Infra.Client.Tests;

/// <summary>
/// The worker pool against real gRPC servers on loopback (each serving grpc.health, the check that decides whether a
/// worker is down): every unit is done once, a worker that goes down is retired and its unit done by another, no worker
/// left is UNAVAILABLE naming them, and a failure from a worker that still serves (its shard's) fails the run at once.
/// </summary>
public sealed class WorkerPoolTests : IAsyncDisposable
{
    private readonly List<WebApplication> _servers = [];
    private readonly List<GrpcChannel> _channels = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        foreach (var server in _servers) await server.DisposeAsync();
    }

    [Fact]
    public async Task Every_unit_is_done_once_and_the_workers_share_them()
    {
        var (set, workers) = await WorkersAsync(3);
        var done = new ConcurrentDictionary<int, int>();
        var byWorker = new ConcurrentDictionary<int, int>();
        await WorkerPool.RunAsync(workers, Enumerable.Range(0, 30).ToList(), async (worker, unit, token) =>
        {
            await CheckAsync(worker, token); // a real call on the worker, as a unit's ComputeGradients would be
            await Task.Delay(5, token);
            done.AddOrUpdate(unit, 1, (_, n) => n + 1);
            byWorker.AddOrUpdate(worker.Index, 1, (_, n) => n + 1);
        }, set, default);
        Assert.Equal(Enumerable.Range(0, 30), done.Keys.Order());
        Assert.All(done.Values, n => Assert.Equal(1, n));
        Assert.Equal(3, byWorker.Count); // one call in flight per worker: all three pulled units
    }

    [Fact]
    public async Task A_worker_that_goes_down_is_retired_and_its_unit_done_by_another()
    {
        var retired = new ConcurrentBag<WorkerRetirement>();
        var (set, workers) = await WorkersAsync(3, retired.Add);
        var done = new ConcurrentDictionary<int, int>();
        var stopped = 0;
        await WorkerPool.RunAsync(workers, Enumerable.Range(0, 12).ToList(), async (worker, unit, token) =>
        {
            // Worker 1's server goes away while its second unit is on it: that call fails as a dead worker's does.
            if (worker.Index == 1 && done.ContainsKey(-1) && Interlocked.Exchange(ref stopped, 1) == 0) await _servers[1].StopAsync(token);
            await CheckAsync(worker, token);
            if (worker.Index == 1) done.TryAdd(-1, 0);
            await Task.Delay(10, token);
            done.AddOrUpdate(unit, 1, (_, n) => n + 1);
        }, set, default);
        Assert.Equal(Enumerable.Range(0, 12), done.Keys.Where(k => k >= 0).Order());
        Assert.All(done.Where(kv => kv.Key >= 0), kv => Assert.Equal(1, kv.Value));
        var retirement = Assert.Single(retired);
        Assert.Equal(1, retirement.Worker.Index);
        Assert.Equal(StatusCode.Unavailable, retirement.Error.StatusCode);
        Assert.Equal(2, retirement.Remaining);
        Assert.Contains($"GradientService worker 1 of 3 at {workers[1].Address} is down", retirement.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_worker_left_is_unavailable_naming_every_worker()
    {
        var (set, workers) = await WorkersAsync(2);
        foreach (var server in _servers) await server.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => WorkerPool.RunAsync(workers, [1, 2, 3], (worker, _, token) => CheckAsync(worker, token), set, default));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("no GradientService worker is left", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"worker 0 of 2 at {workers[0].Address}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"worker 1 of 2 at {workers[1].Address}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_from_a_worker_that_still_serves_fails_the_run_and_cancels_the_other_calls()
    {
        var retired = new ConcurrentBag<WorkerRetirement>();
        var (set, workers) = await WorkersAsync(3, retired.Add);
        var cancelled = 0;
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        var shardDown = new RpcException(new Status(StatusCode.Unavailable, "the ScoringService at http://127.0.0.1:9 is unavailable"));
        var run = WorkerPool.RunAsync(workers, Enumerable.Range(0, 9).ToList(), async (worker, unit, token) =>
        {
            await CheckAsync(worker, token);
            if (worker.Index == 2)
            {
                await waiting.Task.WaitAsync(token); // the other two calls are in flight when this one fails
                throw shardDown;
            }
            if (Interlocked.Increment(ref entered) == 2) waiting.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }
        }, set, default);
        var error = await Assert.ThrowsAsync<RpcException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Same(shardDown, error);
        Assert.Empty(retired);
        Assert.Equal(2, cancelled);
    }

    private static async Task CheckAsync(GradientWorker worker, CancellationToken token) =>
        await new Health.HealthClient(worker.Invoker).CheckAsync(new HealthCheckRequest(), cancellationToken: token);

    private async Task<(GradientWorkerSet Set, IReadOnlyList<GradientWorker> Workers)> WorkersAsync(int count, Action<WorkerRetirement>? retired = null)
    {
        var addresses = new List<string>();
        for (var i = 0; i < count; i++) addresses.Add((await StartHealthServerAsync()).ToString());
        var set = new GradientWorkerSet(GradientAddresses.Parse(string.Join(",", addresses)), uri =>
        {
            var channel = GrpcChannel.ForAddress(uri);
            _channels.Add(channel);
            return channel.CreateCallInvoker();
        }, retired) { HealthTimeout = TimeSpan.FromSeconds(2) };
        return (set, await set.WorkersAsync(default));
    }

    // A gRPC server on 127.0.0.1 that answers grpc.health.v1 with SERVING, as a live GradientService does.
    private async Task<Uri> StartHealthServerAsync()
    {
        var (app, address) = await LoopbackHealthServer.StartAsync();
        _servers.Add(app);
        return address;
    }
}
