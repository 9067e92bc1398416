using Grpc.Net.Client;
using Infra.Contracts.Scoring.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Infra.Scoring.Tests;

/// <summary>A ScoringService on a loopback port over its own store folder (shards of 6 examples), with a client; stopped on dispose.</summary>
public sealed class LoopbackScoring : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackScoring(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        Channel = channel;
        Client = new ScoringService.ScoringServiceClient(channel);
    }

    public GrpcChannel Channel { get; }

    public ScoringService.ScoringServiceClient Client { get; }

    /// <summary>The address other services forward to (always with its scheme).</summary>
    public string Address => Channel.Target.StartsWith("http", StringComparison.Ordinal) ? Channel.Target : "http://" + Channel.Target;

    public static async Task<LoopbackScoring> StartAsync(string store, Action<IServiceCollection>? configure = null)
    {
        var (app, address) = await LoopbackHosts.StartScoringAsync(store, new Dictionary<string, string?> { ["Scoring:ShardExamples"] = "6" }, configure);
        return new LoopbackScoring(app, GrpcChannel.ForAddress(address));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
