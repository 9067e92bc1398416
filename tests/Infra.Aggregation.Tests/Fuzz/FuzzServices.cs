using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Aggregation.Tests.Grpc;
using Infra.Client.Pipeline;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Tests.Fuzz;

/// <summary>
/// The three services on loopback (a <see cref="ServicesFixture"/> of its own, so fuzzed writes never reach the read-out
/// tests' store) and one valid request sequence per RPC of every service, the seeds the fuzz cases mutate.
/// </summary>
public sealed class FuzzServices : IAsyncLifetime
{
    private readonly ServicesFixture _services = new();

    public ServicesFixture Services => _services;

    /// <summary>Valid requests per method full name ("infra.scoring.v1.ScoringService/Score"): one for unary and server-streaming methods, the whole stream otherwise.</summary>
    public Dictionary<string, IReadOnlyList<IMessage>> Seeds { get; } = new(StringComparer.Ordinal);

    public CallInvoker Scoring { get; private set; } = null!;
    public CallInvoker Gradients { get; private set; } = null!;
    public CallInvoker Aggregation { get; private set; } = null!;

    public string StorePath => Path.Combine(_services.Root, "store");
    public string FactorsPath => Path.Combine(_services.Root, "factors");

    /// <summary>Paths the fuzzer may write to instead of arbitrary strings (output_folder, corpus_path).</summary>
    public Dictionary<string, string[]> PinnedStrings { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        await _services.InitializeAsync();
        Scoring = GrpcChannel.ForAddress(_services.ScoringAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 }).CreateCallInvoker();
        Gradients = GrpcChannel.ForAddress(_services.GradientAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 }).CreateCallInvoker();
        Aggregation = (await _services.StartAggregationAsync(_services.ScoringAddress, _services.GradientAddress)).CreateCallInvoker();
        var outputs = Path.Combine(_services.Root, "fuzz-output");
        PinnedStrings["output_folder"] = ["", outputs, Path.Combine(outputs, "nested")];
        PinnedStrings["corpus_path"] = ["", _services.CorpusPath, Path.Combine(outputs, "missing.jsonl")];
        await BuildSeedsAsync();
    }

    public Task DisposeAsync() => _services.DisposeAsync();

    private async Task BuildSeedsAsync()
    {
        var training = _services.Training;
        var queries = _services.Queries;
        var info = await _services.Scoring.StoreInfoAsync(new StoreInfoRequest());
        var model = await _services.Gradients.GetModelInfoAsync(new GetModelInfoRequest { Projection = ServicesFixture.Projection });

        // Gradients of two new examples, as the GradientService streams them (for Ingest and ScoreStream).
        var fresh = training.Take(2).Select((e, i) => { var c = e.Clone(); c.Id = $"fuzz-{i}"; return c; }).ToList();
        using var compute = _services.Gradients.ComputeGradients();
        await compute.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions { Projection = ServicesFixture.Projection, IncludeExampleGradient = true, IncludeTokenFactors = true },
        });
        foreach (var e in fresh) await compute.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
        await compute.RequestStream.CompleteAsync();
        var gradients = (await compute.ResponseStream.ReadAllAsync().ToListAsync())
            .Where(m => m.ItemCase is ComputeGradientsResponse.ItemOneofCase.Header or ComputeGradientsResponse.ItemOneofCase.Chunk or ComputeGradientsResponse.ItemOneofCase.Done)
            .ToList();
        var queryChunks = await _services.Gradients.ComputeQueryGradients(new ComputeQueryGradientsRequest { Projection = ServicesFixture.Projection, Queries = { queries } })
            .ResponseStream.ReadAllAsync().ToListAsync();

        const string scoring = "infra.scoring.v1.ScoringService/";
        Seeds[scoring + "Ingest"] = [new IngestRequest { Header = info.Schema }, .. gradients.Select(g => new IngestRequest { Gradient = g })];
        Seeds[scoring + "MissingExamples"] = [new MissingExamplesRequest { Ids = { training[0].Id, "fuzz-missing" } }];
        Seeds[scoring + "Fit"] = [new FitRequest { Name = "fuzz", Kind = PreconditionerKind.Diagonal, Overwrite = true }];
        Seeds[scoring + "RegisterQueries"] =
        [
            new RegisterQueriesRequest { Header = new QueryRegistration { QuerySet = "fuzz-set", Queries = queries }.Header() },
            .. queryChunks.Select(c => new RegisterQueriesRequest { Chunk = c }),
        ];
        Seeds[scoring + "Score"] = [new ScoreRequest { QuerySet = ServicesFixture.QuerySet, TopK = 3 }];
        Seeds[scoring + "ScoreTokens"] = [new ScoreTokensRequest { QuerySet = ServicesFixture.QuerySet, ExampleIds = { training[0].Id } }];
        Seeds[scoring + "ScoreStream"] =
        [
            new ScoreStreamRequest
            {
                Header = new ScoreStreamHeader
                {
                    QuerySet = ServicesFixture.QuerySet, ModelFingerprint = info.Schema.ModelFingerprint, Projection = info.Schema.Projection,
                    Layers = { info.Schema.Layers },
                },
            },
            .. gradients.Select(g => new ScoreStreamRequest { Gradient = g }),
        ];
        Seeds[scoring + "StoreInfo"] = [new StoreInfoRequest()];
        Seeds[scoring + "GetQuerySet"] = [new GetQuerySetRequest { Name = ServicesFixture.QuerySet }];
        Seeds[scoring + "ListQuerySets"] = [new ListQuerySetsRequest()];
        // The set the RegisterQueries seed registers, never the fixture's own (other cases score against it).
        Seeds[scoring + "DeleteQuerySet"] = [new DeleteQuerySetRequest { Name = "fuzz-set" }];
        Seeds[scoring + "GetExamples"] = [new GetExamplesRequest { Ids = { training[0].Id, training[1].Id } }];

        const string aggregation = "infra.aggregation.v1.AggregationService/";
        QuerySelection Held() => new() { QuerySet = ServicesFixture.QuerySet, Candidates = 4 };
        Seeds[aggregation + "Aggregate"] = [new AggregateRequest { Queries = Held(), BootstrapSamples = 100, TopK = 3 }];
        Seeds[aggregation + "TopK"] = [new TopKRequest { Queries = Held(), K = 3, Sequences = 2 }];
        Seeds[aggregation + "Sequences"] = [new SequencesRequest { Queries = Held(), ExampleIds = { training[0].Id } }];
        Seeds[aggregation + "TokenRanking"] = [new TokenRankingRequest { Queries = Held(), ExampleIds = { training[0].Id }, Top = 5 }];
        Seeds[aggregation + "Reweight"] =
        [
            new ReweightRequest { Queries = Held(), Strategy = ReweightStrategy.Proportional, OutputFolder = Path.Combine(_services.Root, "fuzz-output", "reweight") },
        ];
        Seeds[aggregation + "Report"] =
        [
            new ReportRequest { Queries = Held(), TopK = 2, HeatMapExamples = 1, OutputFolder = Path.Combine(_services.Root, "fuzz-output", "report") },
        ];
        Seeds[aggregation + "Influence"] = [new InfluenceRequest { QuerySet = ServicesFixture.QuerySet, QueryId = queries[0].Id, TopExamples = 3, Candidates = 4 }];

        const string gradientsService = "infra.gradients.v1.GradientService/";
        Seeds[gradientsService + "GetModelInfo"] = [new GetModelInfoRequest { Projection = ServicesFixture.Projection }];
        Seeds[gradientsService + "ComputeGradients"] =
        [
            new ComputeGradientsRequest { Options = new GradientOptions { Projection = ServicesFixture.Projection, IncludeExampleGradient = true } },
            new ComputeGradientsRequest { Example = training[0] },
        ];
        Seeds[gradientsService + "ComputeQueryGradients"] = [new ComputeQueryGradientsRequest { Projection = ServicesFixture.Projection, Queries = { queries[0] } }];
        Seeds[gradientsService + "FitFactors"] =
        [
            new FitFactorsRequest { Options = new FitFactorsOptions { Name = "fuzz-factors", Phase = FitPhase.Covariance, Overwrite = true } },
            new FitFactorsRequest { Example = training[0] },
            new FitFactorsRequest { Example = training[1] },
        ];
        Seeds[gradientsService + "Generate"] = [new GenerateRequest { Prompts = { new GenerationPrompt { Id = "p", Prompt = "What is 2 + 3?" } }, MaxNewTokens = 8 }];
        Seeds[gradientsService + "ScoreExact"] =
        [
            new ScoreExactRequest { Options = new ExactScoringOptions { Queries = { queries[0] }, ModelFingerprint = model.Fingerprint } },
            new ScoreExactRequest { Candidate = training[0] },
        ];
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzGroup : ICollectionFixture<FuzzServices>
{
    public const string Name = "fuzzed services on loopback";
}
