namespace Infra.Gradients.Tests;

/// <summary>One GradientService on a real loopback port, shared by a test class. 1 KiB chunks force multi-chunk streams.</summary>
public sealed class LoopbackHostFixture : IAsyncLifetime
{
    public GradientTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await GradientTestHost.StartAsync(loopback: true, new Dictionary<string, string?> { ["Gradients:ChunkBytes"] = "1024" });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
