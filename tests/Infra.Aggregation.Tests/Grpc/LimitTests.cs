using Grpc.Core;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Scoring.Hosting;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>Cost limits (issue 13): beyond a service's configured bound a request is refused before any work, naming the proto field and the setting.</summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LimitTests(ServicesFixture fixture)
{
    [Fact]
    public async Task Each_service_refuses_a_request_beyond_its_limits_naming_the_field_and_the_setting()
    {
        var held = new QuerySelection { QuerySet = ServicesFixture.QuerySet };
        var manyIds = Enumerable.Range(0, 100_001).Select(i => $"id-{i}").ToList();
        var cases = new (Func<Task> Call, string Message)[]
        {
            (() => fixture.Scoring.Score(new ScoreRequest { QuerySet = ServicesFixture.QuerySet, TopK = 100_001 }).ResponseStream.ReadAllAsync().ToListAsync().AsTask(),
                "top_k must be at most 100000 (Scoring:MaxTopK)"),
            (() => fixture.Scoring.MissingExamplesAsync(new MissingExamplesRequest { Ids = { manyIds } }).ResponseAsync,
                "ids may have at most 100000 entries (Scoring:MaxIdsPerRequest)"),
            (() => fixture.Gradients.GenerateAsync(new GenerateRequest { Prompts = { new GenerationPrompt { Id = "p", Prompt = "hi" } }, MaxNewTokens = 4097 }).ResponseAsync,
                "max_new_tokens must be at most 4096 (Gradients:MaxNewTokens)"),
            (() => fixture.Gradients.GetModelInfoAsync(new GetModelInfoRequest { Projection = new ProjectionSpec { KIn = 5000, KOut = 16 } }).ResponseAsync,
                "projection.k_in must be at most 4096 (Gradients:MaxProjectionDim)"),
            (() => ComputeGradientsAsync(new GradientOptions { Projection = ServicesFixture.Projection, IncludeExampleGradient = true, BatchSize = 257 }),
                "batch_size must be at most 256 (Gradients:MaxBatchSize)"),
            (() => fixture.Aggregation.InfluenceAsync(new InfluenceRequest { QuerySet = ServicesFixture.QuerySet, TopExamples = uint.MaxValue }).ResponseAsync,
                "top_examples must be at most 10000 (Aggregation:MaxTopK)"),
            (() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Candidates = 5000 } }).ResponseAsync,
                "queries.candidates must be at most 4096 (Aggregation:MaxCandidates)"),
            (() => fixture.Aggregation.ReportAsync(new ReportRequest { Queries = held, HeatMapExamples = 101 }).ResponseAsync,
                "heat_map_examples must be at most 100 (Aggregation:MaxHeatMapExamples)"),
        };
        foreach (var (call, message) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{message}: {error.StatusCode} {error.Status.Detail}");
            Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_limit_below_one_stops_the_service_at_start_up_naming_the_setting()
    {
        var store = Path.Combine(fixture.Root, "limit-store");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ScoringServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = store, ["Scoring:MaxTopK"] = "0", ["Logging:LogLevel:Default"] = "None",
        }));
        Assert.Contains("MaxTopK", error.ToString(), StringComparison.Ordinal);
    }

    private async Task ComputeGradientsAsync(GradientOptions options)
    {
        using var call = fixture.Gradients.ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = options });
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = fixture.Training[0] });
        await call.RequestStream.CompleteAsync();
        await call.ResponseStream.ReadAllAsync().ToListAsync();
    }
}
