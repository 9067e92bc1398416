using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Infra.ServiceDefaults.Tests;

/// <summary>The --health-probe mode, run as the container health checks run it: the service's own executable.</summary>
public sealed class HealthProbeTests : IDisposable
{
    private readonly string _store = LoopbackHosts.TempFolder("infra-probe-");

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Fact]
    public async Task The_probe_exits_0_against_a_running_keyed_service()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["Security:ApiKey"] = TestHosts.Key });
        LoopbackHosts.ListenLoopback(builder);
        var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
        await using var _ = app;
        var (code, output) = await ProbeAsync(address.ToString());
        Assert.True(code == 0, output);
        Assert.Contains("Serving", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_exits_1_against_a_dead_port()
    {
        var (code, output) = await ProbeAsync($"http://127.0.0.1:{FreePort()}");
        Assert.True(code == 1, output);
        Assert.Contains("unhealthy", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_switch_the_service_starts_as_usual()
    {
        Assert.Null(await HealthProbe.RunIfRequestedAsync(["--Scoring:StorePath=/tmp/x"]));
        using var output = new StringWriter();
        Assert.Equal(1, await HealthProbe.RunIfRequestedAsync([HealthProbe.Switch], output));
        Assert.Contains("needs an address", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> ProbeAsync(string address)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Infra.Scoring.dll"), HealthProbe.Switch, address },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
