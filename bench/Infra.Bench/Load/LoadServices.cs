using Grpc.Net.Client;
using Infra.Aggregation.Hosting;
using Infra.Client.Corpus;
using Infra.Client.Pipeline;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Corpus;
using Infra.Gradients.Hosting;
using Infra.Scoring.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Infra.Bench.Load;

/// <summary>
/// The three services on loopback as the demo runs them: the GradientService on the embedded default model (CPU), a
/// ScoringService whose store indexes the model's training sample (projected 32 x 32, token factors, bf16), full-space
/// EK-FAC fitted on it, and held-out math and code queries registered with their recipe; an AggregationService on both.
/// </summary>
internal sealed class LoadServices : IAsyncDisposable
{
    public const string QuerySet = "load";
    public const string Factors = "load";
    public static readonly ProjectionSpec Projection = new() { KIn = 32, KOut = 32, Seed = 0 };

    private readonly List<WebApplication> _apps = [];

    private LoadServices(string root) => Root = root;

    public string Root { get; }
    public Uri GradientAddress { get; private set; } = null!;
    public Uri ScoringAddress { get; private set; } = null!;
    public Uri AggregationAddress { get; private set; } = null!;
    public IReadOnlyList<Example> Training { get; private set; } = [];
    public IReadOnlyList<Example> Queries { get; private set; } = [];

    /// <summary>Examples not in the store, with their gradients as the GradientService streams them: what the ingest writer sends.</summary>
    public IReadOnlyList<ComputeGradientsResponse> SpareGradients { get; private set; } = [];
    public IngestHeader Schema { get; private set; } = null!;

    public static async Task<LoadServices> StartAsync(int examples, int queries, Action<string> log)
    {
        var services = new LoadServices(Directory.CreateTempSubdirectory("infra-load-").FullName);
        try
        {
            await services.InitializeAsync(examples, queries, log).ConfigureAwait(false);
            return services;
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(int examples, int queries, Action<string> log)
    {
        var models = Path.Combine(RepositoryRoot(), "models", "default");
        var logging = new KeyValuePair<string, string?>("Logging:LogLevel:Default", "Warning");
        var (gradientApp, gradientAddress) = await GradientServiceHost.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = Path.Combine(models, "model"), ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = Path.Combine(Root, "factors"), [logging.Key] = logging.Value,
        }).ConfigureAwait(false);
        _apps.Add(gradientApp);
        var (scoringApp, scoringAddress) = await ScoringServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = Path.Combine(Root, "store"), [logging.Key] = logging.Value,
        }).ConfigureAwait(false);
        _apps.Add(scoringApp);
        var (aggregationApp, aggregationAddress) = await AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = scoringAddress.ToString(), ["Aggregation:GradientAddress"] = gradientAddress.ToString(),
            ["Aggregation:OutputRoot"] = Path.Combine(Root, "output"), [logging.Key] = logging.Value,
        }).ConfigureAwait(false);
        _apps.Add(aggregationApp);
        (GradientAddress, ScoringAddress, AggregationAddress) = (gradientAddress, scoringAddress, aggregationAddress);

        var sample = CorpusReader.ReadFile(Path.Combine(models, "corpus", "train-sample.jsonl")).Records.Select(CorpusExamples.ToExample).ToList();
        Training = sample.Take(examples).ToList();
        var spare = sample.Skip(examples).Take(16).ToList();
        Queries = CorpusReader.ReadFile(Path.Combine(models, "queries-math.jsonl")).Records.Take((queries + 1) / 2)
            .Concat(CorpusReader.ReadFile(Path.Combine(models, "queries-code.jsonl")).Records.Take(queries / 2)).Select(CorpusExamples.ToExample).ToList();

        using var gradientChannel = GrpcChannel.ForAddress(GradientAddress);
        using var scoringChannel = GrpcChannel.ForAddress(ScoringAddress);
        var gradients = new GradientService.GradientServiceClient(gradientChannel);
        var scoring = new ScoringService.ScoringServiceClient(scoringChannel);
        log($"[setup] indexing {Training.Count} examples, fitting EK-FAC, registering {Queries.Count} queries");
        var pipeline = new InfluencePipeline(gradients, GradientAddress, scoring, ScoringAddress);
        await pipeline.IndexAsync(Training, new IndexSettings { ProjectionDim = (int)Projection.KIn, Seed = Projection.Seed, BatchSize = 0 }, null, CancellationToken.None)
            .ConfigureAwait(false);
        await pipeline.FitFactorsTwoPassAsync(Factors, Training, null, CancellationToken.None).ConfigureAwait(false);
        await pipeline.RegisterQueriesAsync(new QueryRegistration
        {
            QuerySet = QuerySet, Queries = Queries, FactorsName = Factors, PreconditionStage1 = true, Projection = Projection,
        }, CancellationToken.None).ConfigureAwait(false);
        Schema = (await scoring.StoreInfoAsync(new StoreInfoRequest())).Schema;

        using var call = gradients.ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions { Projection = Projection, IncludeExampleGradient = true, IncludeTokenFactors = true, Dtype = WireDtype.Bfloat16 },
        }).ConfigureAwait(false);
        foreach (var e in spare) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e }).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var messages = new List<ComputeGradientsResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            if (call.ResponseStream.Current.ItemCase is not ComputeGradientsResponse.ItemOneofCase.Progress) messages.Add(call.ResponseStream.Current);
        SpareGradients = messages;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Infra.Services.sln above the benchmark binaries");
    }
}
