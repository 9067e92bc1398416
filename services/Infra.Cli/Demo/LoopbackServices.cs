using Grpc.Net.Client;
using Infra.Aggregation.Hosting;
using Infra.Client.Pipeline;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Gradients.Hosting;
using Infra.Scoring.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Infra.Cli.Demo;

/// <summary>
/// The three services started in this process on loopback, as <c>infra demo</c> and <c>infra experiment</c> run them:
/// the GradientService on <c>model</c> (factors under <c>FOLDER/factors</c>), the ScoringService on the store
/// <c>FOLDER/store</c>, and the AggregationService reading them, with output and corpus roots at <c>FOLDER</c>. Logs at
/// Warning. <see cref="DisposeAsync"/> stops them.
/// </summary>
internal sealed class LoopbackServices : IAsyncDisposable
{
    private readonly WebApplication[] _apps;
    private readonly GrpcChannel[] _channels;
    private bool _stopped;

    private LoopbackServices(WebApplication[] apps, Uri gradientAddress, Uri scoringAddress, Uri aggregationAddress)
    {
        _apps = apps;
        (GradientAddress, ScoringAddress, AggregationAddress) = (gradientAddress, scoringAddress, aggregationAddress);
        _channels = [GrpcChannel.ForAddress(gradientAddress), GrpcChannel.ForAddress(scoringAddress), GrpcChannel.ForAddress(aggregationAddress)];
        Gradients = new GradientService.GradientServiceClient(_channels[0]);
        Scoring = new ScoringService.ScoringServiceClient(_channels[1]);
        Aggregation = new AggregationService.AggregationServiceClient(_channels[2]);
        Pipeline = new InfluencePipeline(Gradients, gradientAddress, Scoring, scoringAddress);
    }

    public Uri GradientAddress { get; }

    public Uri ScoringAddress { get; }

    public Uri AggregationAddress { get; }

    public GradientService.GradientServiceClient Gradients { get; }

    public ScoringService.ScoringServiceClient Scoring { get; }

    public AggregationService.AggregationServiceClient Aggregation { get; }

    /// <summary>The pipeline over the GradientService and the ScoringService.</summary>
    public InfluencePipeline Pipeline { get; }

    /// <summary>Starts the three services; <paramref name="device"/> is the GradientService's torch device ("cpu", "cuda").</summary>
    public static async Task<LoopbackServices> StartAsync(string modelPath, string device, string folder, CancellationToken token)
    {
        var started = new List<WebApplication>();
        try
        {
            var (gradientApp, gradientAddress) = await GradientServiceHost.StartLoopbackAsync(new Dictionary<string, string?>
            {
                ["Gradients:ModelPath"] = modelPath,
                ["Gradients:Device"] = device,
                ["Gradients:FactorsPath"] = Path.Combine(folder, "factors"),
                ["Logging:LogLevel:Default"] = "Warning",
            }, token).ConfigureAwait(false);
            started.Add(gradientApp);
            var (scoringApp, scoringAddress) = await ScoringServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
            {
                ["Scoring:StorePath"] = Path.Combine(folder, "store"),
                ["Logging:LogLevel:Default"] = "Warning",
            }, token).ConfigureAwait(false);
            started.Add(scoringApp);
            var (aggregationApp, aggregationAddress) = await AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
            {
                ["Aggregation:ScoringAddress"] = scoringAddress.ToString(),
                ["Aggregation:GradientAddress"] = gradientAddress.ToString(),
                ["Aggregation:OutputRoot"] = folder,
                ["Aggregation:CorpusRoot"] = folder,
                ["Logging:LogLevel:Default"] = "Warning",
            }, token).ConfigureAwait(false);
            started.Add(aggregationApp);
            return new LoopbackServices([.. started], gradientAddress, scoringAddress, aggregationAddress);
        }
        catch
        {
            foreach (var app in Enumerable.Reverse(started)) await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the services, the AggregationService first (it calls the other two); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        foreach (var channel in _channels) channel.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
