using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Client.Pipeline;
using Infra.Client.Sharding;
using Infra.Client.Workers;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Infra.Client.Tests;

/// <summary>
/// An EK-FAC fit pass over several GradientService workers, against real gRPC servers on loopback (grpc.health and a
/// FitFactors that answers with its own name): it goes to the first worker in list order that serves, the workers passed
/// over are reported, and with none serving it is UNAVAILABLE naming every address.
/// </summary>
public sealed class FitOnWorkersTests : IAsyncDisposable
{
    private readonly List<WebApplication> _servers = [];
    private readonly List<GrpcChannel> _channels = [];
    private readonly ConcurrentDictionary<string, int> _fits = new();

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        foreach (var server in _servers) await server.DisposeAsync();
    }

    [Fact]
    public async Task A_fit_whose_first_worker_is_down_goes_to_the_next_that_serves_and_says_so()
    {
        var down = await StartWorkerAsync("down");
        await _servers[0].StopAsync(); // its port refuses connections, as a dead worker's does
        var notServing = await StartWorkerAsync("not-serving", serving: false);
        var second = await StartWorkerAsync("second");
        var third = await StartWorkerAsync("third");
        var skipped = new ConcurrentQueue<WorkerSkip>();
        var pipeline = Pipeline([down, notServing, second, third], skipped.Enqueue);

        var summary = await pipeline.FitFactorsAsync("ekfac", FitPhase.Covariance, Examples(3), 0, overwrite: true, null, default);

        // The first that serves in list order, not any that serves: the same healthy set always fits on the same worker.
        Assert.Equal("second", summary.Path);
        Assert.Equal(3UL, summary.Examples);
        Assert.Equal(["second"], _fits.Keys);
        Assert.Equal([0, 1], skipped.Select(s => s.Worker.Index));
        Assert.All(skipped, s => Assert.Equal(2, s.Chosen.Index));
        Assert.Equal($"GradientService worker 0 of 4 at {down} is not serving: EK-FAC fit 'ekfac', covariance pass goes to GradientService worker 2 of 4 at {second} instead",
            skipped.First().ToString());
        Assert.Contains($"worker 1 of 4 at {notServing} is not serving", skipped.Last().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fit_whose_first_worker_serves_goes_to_it_and_reports_nothing()
    {
        var first = await StartWorkerAsync("first");
        var second = await StartWorkerAsync("second");
        var skipped = new ConcurrentQueue<WorkerSkip>();

        var summary = await Pipeline([first, second], skipped.Enqueue).FitFactorsAsync("ekfac", FitPhase.EigenvalueCorrection, Examples(2), 0, true, null, default);

        Assert.Equal("first", summary.Path);
        Assert.Equal(FitPhase.EigenvalueCorrection, summary.Phase);
        Assert.Empty(skipped);
    }

    [Fact]
    public async Task A_fit_that_the_chosen_worker_refuses_fails_naming_that_worker()
    {
        var first = await StartWorkerAsync("first");
        var second = await StartWorkerAsync("second");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Pipeline([first, second], _ => { }).FitFactorsAsync(FittingWorker.Refused, FitPhase.Covariance, Examples(2), 0, true, null, default));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"GradientService worker 0 of 2 at {first}: no factors named '{FittingWorker.Refused}'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["first"], _fits.Keys); // a refusal is the fit's answer, not a reason to try the next worker
    }

    [Fact]
    public async Task A_fit_with_no_worker_serving_is_unavailable_naming_every_address()
    {
        var down = await StartWorkerAsync("down");
        var notServing = await StartWorkerAsync("not-serving", serving: false);
        await _servers[0].StopAsync();
        var skipped = new ConcurrentQueue<WorkerSkip>();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Pipeline([down, notServing], skipped.Enqueue).FitFactorsAsync("ekfac", FitPhase.Covariance, Examples(2), 0, true, null, default));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("no GradientService worker is serving for EK-FAC fit 'ekfac', covariance pass", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"GradientService worker 0 of 2 at {down}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"GradientService worker 1 of 2 at {notServing}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_fits);
        Assert.Empty(skipped);
    }

    private static List<Example> Examples(int count) => Enumerable.Range(0, count).Select(i => new Example { Id = $"ex-{i}" }).ToList();

    // The pipeline as the CLI builds it: its single GradientService client is the first address's, the set holds them all.
    private InfluencePipeline Pipeline(IReadOnlyList<Uri> addresses, Action<WorkerSkip> skipped)
    {
        var set = new GradientWorkerSet(GradientAddresses.Parse(string.Join(",", addresses)), Invoker, retired: null)
        {
            HealthTimeout = TimeSpan.FromSeconds(2),
            WorkerSkipped = skipped,
        };
        return new InfluencePipeline(new GradientService.GradientServiceClient(Invoker(addresses[0])), addresses[0],
            new ScoringService.ScoringServiceClient(Invoker(addresses[0])), null, workers: set);
    }

    private CallInvoker Invoker(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address);
        _channels.Add(channel);
        return channel.CreateCallInvoker();
    }

    // A gRPC server on 127.0.0.1 answering grpc.health (SERVING or NOT_SERVING) and FitFactors with its own name as the path.
    private async Task<Uri> StartWorkerAsync(string name, bool serving = true)
    {
        var (app, address) = await LoopbackHealthServer.StartAsync(serving,
            services => services.AddSingleton(new FittingWorker.Identity(name, _fits)), app => app.MapGrpcService<FittingWorker>());
        _servers.Add(app);
        return address;
    }

    // Stands in for a GradientService's FitFactors: counts the examples and answers with a summary naming this worker.
    private sealed class FittingWorker(FittingWorker.Identity identity) : GradientService.GradientServiceBase
    {
        /// <summary>A factors name this worker refuses (INVALID_ARGUMENT), as a service refuses a bad request.</summary>
        public const string Refused = "refused";

        public sealed record Identity(string Name, ConcurrentDictionary<string, int> Fits);

        public override async Task FitFactors(IAsyncStreamReader<FitFactorsRequest> requestStream, IServerStreamWriter<FitFactorsResponse> responseStream,
            ServerCallContext context)
        {
            identity.Fits.AddOrUpdate(identity.Name, 1, (_, n) => n + 1);
            FitFactorsOptions? options = null;
            ulong examples = 0;
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                if (request.ItemCase == FitFactorsRequest.ItemOneofCase.Options) options = request.Options;
                else examples++;
            }
            if (options!.Name == Refused) throw new RpcException(new Status(StatusCode.InvalidArgument, $"no factors named '{Refused}'"));
            await responseStream.WriteAsync(new FitFactorsResponse
            {
                Summary = new FactorsSummary { Name = options.Name, Phase = options.Phase, Examples = examples, Path = identity.Name },
            });
        }
    }
}
