using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Infra.Cli.Tests;

/// <summary><c>infra serve scoring</c> as a real process: it serves on the given address and a termination signal stops it cleanly (exit 0).</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-serve-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Serve_scoring_answers_SERVING_and_stops_cleanly_on_SIGTERM()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "infra.dll"), "serve", "scoring", "--store", Path.Combine(_root, "store"),
                "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var health = new Health.HealthClient(channel);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            HealthCheckResponse.Types.ServingStatus status = HealthCheckResponse.Types.ServingStatus.Unknown;
            while (status != HealthCheckResponse.Types.ServingStatus.Serving && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    status = (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status;
                }
                catch (Grpc.Core.RpcException)
                {
                    await Task.Delay(100);
                }
            }
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(wait.Token);
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await errors}");
            Assert.Contains($"ScoringService listening on http://127.0.0.1:{port}", await output, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
