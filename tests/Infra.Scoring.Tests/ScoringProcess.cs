using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Infra.Contracts.Scoring.V1;

namespace Infra.Scoring.Tests;

/// <summary>The ScoringService as its own OS process (the built Infra.Scoring.dll), on a free loopback port.</summary>
internal sealed class ScoringProcess : IDisposable
{
    private readonly Process _process;

    private ScoringProcess(Process process, int port)
    {
        _process = process;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new ScoringService.ScoringServiceClient(Channel);
    }

    public GrpcChannel Channel { get; }
    public ScoringService.ScoringServiceClient Client { get; }

    public static async Task<ScoringProcess> StartAsync(string storePath, int shardExamples)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "Infra.Scoring.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, "--urls", $"http://127.0.0.1:{port}", "--Kestrel:EndpointDefaults:Protocols=Http2",
                $"--Scoring:StorePath={storePath}", $"--Scoring:ShardExamples={shardExamples}", "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the scoring service");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var result = new ScoringProcess(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await result.Client.StoreInfoAsync(new StoreInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return result;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush — a crash.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Channel.Dispose();
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
