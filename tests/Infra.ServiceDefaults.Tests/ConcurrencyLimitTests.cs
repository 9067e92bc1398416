using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Infra.Contracts.Scoring.V1;

namespace Infra.ServiceDefaults.Tests;

/// <summary>The per-service concurrency limit, on the real ScoringService over Kestrel loopback.</summary>
public sealed class ConcurrencyLimitTests : IDisposable
{
    private readonly string _store = LoopbackHosts.TempFolder("infra-limit-");

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Fact]
    public async Task Over_the_limit_a_call_is_refused_with_RESOURCE_EXHAUSTED_and_succeeds_once_a_slot_frees()
    {
        var (app, address) = await StartAsync(maxCalls: 1, queued: 0);
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var client = new ScoringService.ScoringServiceClient(channel);

        // A ScoreStream without its header holds the one slot: the server waits for the first message.
        using var holder = client.ScoreStream();
        await WaitUntilAsync(() => app.Services.GetRequiredService<ConcurrencyLimitInterceptor>().Running == 1);

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.StoreInfoAsync(new StoreInfoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Concurrency:MaxConcurrentCalls", refused.Status.Detail, StringComparison.Ordinal);
        // Health checks are never limited.
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        await holder.RequestStream.CompleteAsync();
        await Assert.ThrowsAsync<RpcException>(() => holder.ResponseStream.MoveNext(CancellationToken.None));
        await WaitUntilAsync(() => app.Services.GetRequiredService<ConcurrencyLimitInterceptor>().Running == 0);

        // One at a time, both succeed.
        Assert.False((await client.StoreInfoAsync(new StoreInfoRequest())).Exists);
        Assert.False((await client.StoreInfoAsync(new StoreInfoRequest())).Exists);
    }

    [Fact]
    public async Task A_queued_call_runs_when_the_slot_frees_within_the_wait()
    {
        var (app, address) = await StartAsync(maxCalls: 1, queued: 4, waitMs: 30_000);
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var client = new ScoringService.ScoringServiceClient(channel);
        using var holder = client.ScoreStream();
        await WaitUntilAsync(() => app.Services.GetRequiredService<ConcurrencyLimitInterceptor>().Running == 1);

        var queued = client.StoreInfoAsync(new StoreInfoRequest()).ResponseAsync;
        await Task.Delay(300);
        Assert.False(queued.IsCompleted);
        await holder.RequestStream.CompleteAsync();
        Assert.False((await queued.WaitAsync(TimeSpan.FromSeconds(20))).Exists);
    }

    [Fact]
    public async Task A_queued_call_is_refused_when_no_slot_frees_within_the_wait()
    {
        var (app, address) = await StartAsync(maxCalls: 1, queued: 4, waitMs: 200);
        await using var _ = app;
        var limiter = app.Services.GetRequiredService<ConcurrencyLimitInterceptor>();
        using var channel = GrpcChannel.ForAddress(address);
        var client = new ScoringService.ScoringServiceClient(channel);
        using var holder = client.ScoreStream(); // holds the one slot until the test ends
        await WaitUntilAsync(() => limiter.Running == 1);

        // Queued (the queue has room), then refused when the 200 ms wait runs out; the holder keeps its slot.
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.StoreInfoAsync(new StoreInfoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("no slot freed within 200 ms", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, limiter.Running);
    }

    [Fact]
    public void The_options_are_validated_at_start_up()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["Concurrency:MaxConcurrentCalls"] = "0" });
        LoopbackHosts.ListenLoopback(builder);
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var app = builder.Build();
            app.StartAsync().GetAwaiter().GetResult();
        });
        Assert.Contains("MaxConcurrentCalls", error.Message, StringComparison.Ordinal);
    }

    private Task<(WebApplication App, Uri Address)> StartAsync(int maxCalls, int queued, int waitMs = 0)
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?>
        {
            ["Concurrency:MaxConcurrentCalls"] = maxCalls.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Concurrency:MaxQueuedCalls"] = queued.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Concurrency:QueueWaitMilliseconds"] = waitMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        LoopbackHosts.ListenLoopback(builder);
        return LoopbackHosts.StartScoringAsync(builder);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold within 20 s");
            await Task.Delay(20);
        }
    }
}
