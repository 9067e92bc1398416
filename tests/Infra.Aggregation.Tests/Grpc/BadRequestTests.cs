using Grpc.Core;
using Infra.Contracts.Aggregation.V1;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>Bad requests get the right status and a message that says what is wrong.</summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BadRequestTests(ServicesFixture fixture)
{
    private static async Task<RpcException> Refused(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Fact]
    public async Task Unknown_query_set_is_not_found_naming_it()
    {
        var aggregate = await Refused(() => fixture.Aggregation.Aggregate(new AggregateRequest { Queries = new QuerySelection { QuerySet = "no-such-set" } })
            .ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        var influence = await Refused(() => fixture.Aggregation.InfluenceAsync(new InfluenceRequest { QuerySet = "no-such-set" }).ResponseAsync);
        var topK = await Refused(() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = "no-such-set" } }).ResponseAsync);
        foreach (var error in new[] { aggregate, influence, topK })
        {
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.Contains("no-such-set", error.Status.Detail, StringComparison.Ordinal);
            Assert.StartsWith("ScoringService: ", error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_groupings_and_knobs_are_invalid_arguments()
    {
        var held = new QuerySelection { QuerySet = ServicesFixture.QuerySet };
        var cases = new (Func<Task> Call, string Message)[]
        {
            (() => fixture.Aggregation.InfluenceAsync(new InfluenceRequest { Prompt = new PromptQuery { Prompt = "  " } }).ResponseAsync, "the prompt is empty"),
            (() => fixture.Aggregation.InfluenceAsync(new InfluenceRequest()).ResponseAsync, "neither a prompt nor a query_set"),
            (() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = new QuerySelection() }).ResponseAsync, "queries.query_set is required"),
            (() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Normalized = true } }).ResponseAsync, "needs queries.preconditioner"),
            (() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = held, MinDifficulty = 4, MaxDifficulty = 2 }).ResponseAsync, "are not a range"),
            (() => fixture.Aggregation.Aggregate(new AggregateRequest { Queries = held, Confidence = 1.5 }).ResponseStream.ReadAllAsync().ToListAsync().AsTask(), "confidence must be in (0, 1)"),
            (() => fixture.Aggregation.Aggregate(new AggregateRequest { Queries = held, BootstrapSamples = uint.MaxValue }).ResponseStream.ReadAllAsync().ToListAsync().AsTask(), "bootstrap_samples must be at most 100000"),
            (() => fixture.Aggregation.ReweightAsync(new ReweightRequest { Queries = held, QueryDomain = "physics" }).ResponseAsync, "'physics' is neither"),
            (() => fixture.Aggregation.ReweightAsync(new ReweightRequest { Queries = held, Fraction = 2 }).ResponseAsync, "fraction must be in (0, 1]"),
            (() => fixture.Aggregation.SequencesAsync(new SequencesRequest { Queries = held }).ResponseAsync, "example_ids is empty"),
        };
        foreach (var (call, message) in cases)
        {
            var error = await Refused(call);
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{message}: {error.StatusCode} {error.Status.Detail}");
            Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        }
        // An example the store does not hold is a missing resource, named, whether its tokens are recomputed (the default) or stored.
        foreach (var rerank in new[] { RerankMode.Unspecified, RerankMode.None })
        {
            var selection = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Rerank = rerank };
            var missing = await Refused(() => fixture.Aggregation.SequencesAsync(new SequencesRequest { Queries = selection, ExampleIds = { "no-such-example" } }).ResponseAsync);
            Assert.Contains("no-such-example", missing.Status.Detail, StringComparison.Ordinal);
            Assert.True(missing.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument, $"{rerank}: {missing.StatusCode}");
        }
    }

    [Fact]
    public async Task Unreachable_scoring_service_is_unavailable_naming_the_address()
    {
        var channel = await fixture.StartAggregationAsync(new Uri("http://127.0.0.1:1"), null);
        var client = new AggregationService.AggregationServiceClient(channel);
        var error = await Refused(() => client.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = "x" } }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("the ScoringService at http://127.0.0.1:1/ is unavailable", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_store_is_a_failed_precondition_and_prompts_need_a_gradient_service()
    {
        var empty = await fixture.StartScoringAsync(Path.Combine(fixture.Root, "empty-store"));
        var client = new AggregationService.AggregationServiceClient(await fixture.StartAggregationAsync(empty, null));
        var error = await Refused(() => client.Aggregate(new AggregateRequest { Queries = new QuerySelection { QuerySet = "x" } }).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("store", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("is empty: index a corpus into it first", error.Status.Detail, StringComparison.Ordinal);

        var noGradients = new AggregationService.AggregationServiceClient(await fixture.StartAggregationAsync(fixture.ScoringAddress, null));
        var prompt = await Refused(() => noGradients.InfluenceAsync(new InfluenceRequest { Prompt = new PromptQuery { Prompt = "What is 1 + 1?" } }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, prompt.StatusCode);
        Assert.Contains("no GradientService is configured", prompt.Status.Detail, StringComparison.Ordinal);
    }
}
