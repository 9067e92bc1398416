using Grpc.Net.Client;
using Infra.Core.Checkpoints;
using Infra.Gradients.Hosting;
using Infra.Torch.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Infra.Testing;

/// <summary>
/// The real GradientService app over a seeded tiny Qwen2 checkpoint (with the byte-level tokenizer)
/// written to a temp folder: in-process (TestServer) or on a real loopback port (Kestrel, HTTP/2).
/// </summary>
public sealed class GradientTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GradientTestHost(WebApplication app, string root, GrpcChannel channel, Uri? address)
    {
        _app = app;
        Root = root;
        Channel = channel;
        Address = address;
    }

    /// <summary>The temp folder holding the model and the factors; deleted on dispose.</summary>
    public string Root { get; }
    public string ModelPath => Path.Combine(Root, "model");
    public GrpcChannel Channel { get; }
    /// <summary>The loopback address (null in-process).</summary>
    public Uri? Address { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Writes the checkpoint (<paramref name="config"/>, default <see cref="TinyModelConfigs.Service"/>, seeded with <paramref name="seed"/>) and starts the service on it.</summary>
    /// <param name="loopback">On a real loopback port (Kestrel) rather than in-process (TestServer).</param>
    /// <param name="settings">Configuration layered over the test settings.</param>
    /// <param name="seed">The weights' seed.</param>
    /// <param name="config">The model (default <see cref="TinyModelConfigs.Service"/>).</param>
    /// <param name="defaultBatchSize">Gradients:DefaultBatchSize (null: the service's default).</param>
    public static async Task<GradientTestHost> StartAsync(bool loopback, IDictionary<string, string?>? settings = null,
        int seed = 7, HfModelConfig? config = null, int? defaultBatchSize = 3)
    {
        var root = Directory.CreateTempSubdirectory("infra-grad-").FullName;
        var model = Path.Combine(root, "model");
        SeededCheckpoint.Write(model, config ?? TinyModelConfigs.Service, seed);
        var all = new Dictionary<string, string?>();
        if (defaultBatchSize is { } batch) all["Gradients:DefaultBatchSize"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var serviceSettings = ServiceSettings.Gradients(model, Path.Combine(root, "factors"), all);

        WebApplication app;
        GrpcChannel channel;
        Uri? address = null;
        if (loopback)
        {
            (app, address) = await GradientServiceHost.StartLoopbackAsync(serviceSettings);
            channel = GrpcChannel.ForAddress(address);
        }
        else
        {
            var builder = GradientServiceHost.CreateBuilder(serviceSettings);
            builder.WebHost.UseTestServer();
            app = builder.Build();
            app.MapGradientServices();
            await app.StartAsync();
            channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
        }
        return new GradientTestHost(app, root, channel, address);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
