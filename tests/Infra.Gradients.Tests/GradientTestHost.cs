using Grpc.Net.Client;
using Infra.Core.Checkpoints;
using Infra.Gradients.Hosting;
using Infra.Torch.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Infra.Gradients.Tests;

/// <summary>
/// The real GradientService app over a seeded tiny Qwen2 checkpoint (with the byte-level tokenizer)
/// written to a temp folder: in-process (TestServer) or on a real loopback port (Kestrel, HTTP/2).
/// </summary>
public sealed class GradientTestHost : IAsyncDisposable
{
    public static readonly HfModelConfig TinyConfig = new()
    {
        ModelType = "qwen2",
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        VocabSize = SeededCheckpoint.ByteLevelVocabSize,
        MaxPositionEmbeddings = 512,
    };

    private readonly WebApplication _app;

    private GradientTestHost(WebApplication app, string root, GrpcChannel channel)
    {
        _app = app;
        Root = root;
        Channel = channel;
    }

    public string Root { get; }
    public string ModelPath => Path.Combine(Root, "model");
    public GrpcChannel Channel { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<GradientTestHost> StartAsync(bool loopback, IDictionary<string, string?>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("infra-grad-").FullName;
        var model = Path.Combine(root, "model");
        SeededCheckpoint.Write(model, TinyConfig, seed: 7);
        var config = new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = model,
            ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = Path.Combine(root, "factors"),
            ["Gradients:DefaultBatchSize"] = "3",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var kv in settings ?? new Dictionary<string, string?>()) config[kv.Key] = kv.Value;

        WebApplication app;
        GrpcChannel channel;
        if (loopback)
        {
            (app, var address) = await GradientServiceHost.StartLoopbackAsync(config);
            channel = GrpcChannel.ForAddress(address);
        }
        else
        {
            var builder = GradientServiceHost.CreateBuilder(config);
            builder.WebHost.UseTestServer();
            app = builder.Build();
            app.MapGradientServices();
            await app.StartAsync();
            channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
        }
        return new GradientTestHost(app, root, channel);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
