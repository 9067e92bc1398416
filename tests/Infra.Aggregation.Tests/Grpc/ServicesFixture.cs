using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Aggregation.Reweighting;
using Infra.Client.Pipeline;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Client.Corpus;
using Infra.Corpus;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// The three services on loopback, as the demo runs them: the GradientService on the trained default model
/// (models/default/model), a ScoringService whose store holds a small balanced slice of that model's training sample
/// (gradients forwarded by the GradientService, token factors kept, fp32), full-space EK-FAC fitted on the slice, the
/// held-out problems the model answers correctly registered as "held-out" (EK-FAC-preconditioned, with their recipe), and the
/// AggregationService pointed at both. The two downstream services carry a <see cref="CallRecorder"/>.
/// </summary>
public sealed class ServicesFixture : IAsyncLifetime
{
    public const string QuerySet = "held-out";
    public const string Factors = "fixture";
    public static readonly Contracts.Gradients.V1.ProjectionSpec Projection = new() { KIn = 16, KOut = 16, Seed = 0 };

    private readonly List<WebApplication> _apps = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("infra-agg-grpc-").FullName;
    public string ModelPath { get; } = Path.Combine(FindRepositoryRoot(), "models", "default", "model");
    public string CorpusPath => Path.Combine(Root, "corpus.jsonl");
    public CallRecorder GradientCalls { get; } = new();
    public CallRecorder ScoringCalls { get; } = new();
    public Uri ScoringAddress { get; private set; } = null!;
    public Uri GradientAddress { get; private set; } = null!;
    public GradientService.GradientServiceClient Gradients { get; private set; } = null!;
    public ScoringService.ScoringServiceClient Scoring { get; private set; } = null!;
    public AggregationService.AggregationServiceClient Aggregation { get; private set; } = null!;
    public IReadOnlyList<Example> Training { get; private set; } = [];
    public IReadOnlyList<Example> Queries { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var defaultFolder = Path.GetDirectoryName(ModelPath)!;
        var sample = CorpusReader.ReadFile(Path.Combine(defaultFolder, "corpus", "train-sample.jsonl")).Records;
        // Two examples per (domain, difficulty) cell: 20 examples, every cell of the roll-ups filled.
        var slice = sample.GroupBy(r => (r.Domain, r.Difficulty)).OrderBy(g => g.Key.Domain).ThenBy(g => g.Key.Difficulty).SelectMany(g => g.Take(2)).ToList();
        Training = slice.Select(CorpusExamples.ToExample).ToList();
        await File.WriteAllLinesAsync(CorpusPath, File.ReadLines(Path.Combine(defaultFolder, "corpus", "train-sample.jsonl"))
            .Where(line => slice.Any(r => line.Contains($"\"id\":\"{r.Id}\"", StringComparison.Ordinal))));
        Queries = CorpusReader.ReadFile(Path.Combine(defaultFolder, "queries-math.jsonl")).Records.Take(1)
            .Concat(CorpusReader.ReadFile(Path.Combine(defaultFolder, "queries-code.jsonl")).Records.Take(1)).Select(CorpusExamples.ToExample).ToList();

        var gradientBuilder = LoopbackHosts.GradientBuilder(ModelPath, Path.Combine(Root, "factors"));
        Record(gradientBuilder, GradientCalls);
        (GradientAddress, _) = await StartAsync(gradientBuilder, LoopbackHosts.StartGradientsAsync);
        ScoringAddress = await StartScoringAsync(Path.Combine(Root, "store"), ScoringCalls);
        Gradients = new GradientService.GradientServiceClient(GrpcChannel.ForAddress(GradientAddress));
        Scoring = new ScoringService.ScoringServiceClient(GrpcChannel.ForAddress(ScoringAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 }));
        Aggregation = new AggregationService.AggregationServiceClient(await StartAggregationAsync(ScoringAddress, GradientAddress));

        await IndexAsync();
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
        {
            using var fit = Gradients.FitFactors();
            await fit.RequestStream.WriteAsync(new FitFactorsRequest { Options = new FitFactorsOptions { Name = Factors, Phase = phase, Overwrite = true } });
            foreach (var e in Training) await fit.RequestStream.WriteAsync(new FitFactorsRequest { Example = e });
            await fit.RequestStream.CompleteAsync();
            await fit.ResponseStream.ReadAllAsync().ToListAsync();
        }
        var query = new ComputeQueryGradientsRequest { Projection = Projection, FactorsName = Factors };
        query.Queries.AddRange(Queries);
        var chunks = await Gradients.ComputeQueryGradients(query).ResponseStream.ReadAllAsync().ToListAsync();
        using var register = Scoring.RegisterQueries();
        // With the recipe, so read-outs can rerank the set exactly (the default).
        var header = new QueryRegistration { QuerySet = QuerySet, Queries = Queries, FactorsName = Factors }.Header();
        await register.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = header });
        foreach (var c in chunks) await register.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = c });
        await register.RequestStream.CompleteAsync();
        await register;
    }

    /// <summary>Another AggregationService (e.g. pointed at an unreachable or empty ScoringService); stopped with the fixture.</summary>
    public async Task<GrpcChannel> StartAggregationAsync(Uri scoringAddress, Uri? gradientAddress) =>
        GrpcChannel.ForAddress(await StartAggregationAtAsync(scoringAddress, gradientAddress));

    /// <summary>As <see cref="StartAggregationAsync"/>, returning its address.</summary>
    public async Task<Uri> StartAggregationAtAsync(Uri scoringAddress, Uri? gradientAddress)
    {
        var (app, address) = await LoopbackHosts.StartAggregationAsync(scoringAddress, gradientAddress, Root);
        _apps.Add(app);
        return address;
    }

    /// <summary>A ScoringService on its own store folder (no examples until something is ingested).</summary>
    public async Task<Uri> StartScoringAsync(string store, CallRecorder? recorder = null)
    {
        var builder = LoopbackHosts.ScoringBuilder(store);
        if (recorder is not null) Record(builder, recorder);
        var (address, _) = await StartAsync(builder, LoopbackHosts.StartScoringAsync);
        return address;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
    }

    private static void Record(WebApplicationBuilder builder, CallRecorder recorder)
    {
        builder.Services.AddSingleton(recorder);
        builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<CallRecorder>());
    }

    private async Task<(Uri, WebApplication)> StartAsync(WebApplicationBuilder builder, Func<WebApplicationBuilder, Task<(WebApplication App, Uri Address)>> start)
    {
        LoopbackHosts.ListenLoopback(builder);
        var (app, address) = await start(builder);
        _apps.Add(app);
        return (address, app);
    }

    private async Task IndexAsync()
    {
        using var call = Gradients.ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions
            {
                Projection = Projection, IncludeExampleGradient = true, IncludeTokenFactors = true,
                ForwardTo = ScoringAddress.ToString(), ForwardStoreDtype = WireDtype.Float32,
            },
        });
        foreach (var e in Training) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
        await call.RequestStream.CompleteAsync();
        await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "models", "default", "model", "config.json"))) return dir.FullName;
        throw new DirectoryNotFoundException("no models/default/model above the test binaries");
    }
}

[CollectionDefinition(Name)]
public sealed class ServicesGroup : ICollectionFixture<ServicesFixture>
{
    public const string Name = "three services on loopback";
}
