using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Infra.Cli.Tests.Harness;

/// <summary>
/// A service as its own OS process: the built service dll (Infra.Gradients, Infra.Scoring, Infra.Aggregation, ...)
/// run with <c>dotnet NAME.dll --urls http://127.0.0.1:PORT</c>, its settings as Section__Key environment variables,
/// ready once grpc.health.v1 answers SERVING. <see cref="KillHard"/> is kill -9; a restart on the same port is a
/// new <see cref="StartAsync"/> with <see cref="Port"/>.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ServiceProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    /// <summary>The assembly name, e.g. Infra.Scoring.</summary>
    public string Name { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>The last lines the process wrote (for failure messages).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>
    /// Starts <paramref name="assembly"/>.dll from this test's output folder with <paramref name="settings"/>
    /// ("Section:Key" -> value, passed as environment variables) on <paramref name="port"/> (a free one when null).
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built (the test project must reference {assembly})", dll);
        var listen = port ?? FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{listen}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["Kestrel__EndpointDefaults__Protocols"] = "Http2";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {assembly}");
        var service = new ServiceProcess(assembly, process, listen);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitServingAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            service.Dispose();
            throw;
        }
        return service;
    }

    /// <summary>
    /// The GradientService on the embedded default model (models/default, CPU), fitting EK-FAC factors into (and reading
    /// them from) <paramref name="factorsPath"/>, on <paramref name="port"/> (a free one when null).
    /// </summary>
    public static Task<ServiceProcess> StartGradientsOnEmbeddedModelAsync(string factorsPath, int? port = null) =>
        StartAsync("Infra.Gradients", new Dictionary<string, string>
        {
            ["Gradients:ModelPath"] = Path.Combine(EmbeddedSlice.DefaultFolder, "model"),
            ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = factorsPath,
        }, port);

    /// <summary>SIGKILL of the whole process tree: no shutdown hooks, no flush — a crash.</summary>
    public void KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }

    private async Task WaitServingAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var client = new Health.HealthClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} during start-up:\n{Log}");
            try
            {
                var response = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"{Name} did not become SERVING on port {Port} within {timeout}:\n{Log}");
            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
