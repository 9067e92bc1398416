using System.Diagnostics;
using Grpc.Core;
using Infra.Contracts.Gradients.V1;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// Work stops when its caller goes (issue 13): a cancelled or expired GradientService call frees the model within a second.
/// The model is held by one call at a time, so how soon a one-token Generate gets it measures when the server's work ended.
/// </summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class CancellationTests(ServicesFixture fixture)
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_Generate_past_its_deadline_frees_the_model_within_a_second()
    {
        var request = new GenerateRequest { MaxNewTokens = 4096 };
        for (var i = 0; i < 256; i++) request.Prompts.Add(new GenerationPrompt { Id = $"p{i}", Prompt = $"Write the numbers from {i} to {i + 500}, one per line." });
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Gradients.GenerateAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(800)).ResponseAsync);
        Assert.True(error.StatusCode == StatusCode.DeadlineExceeded, error.ToString());
        await AssertModelFreeWithinAsync(StopWithin);
    }

    [Fact]
    public async Task Cancelled_query_gradients_free_the_model_within_a_second()
    {
        var request = new ComputeQueryGradientsRequest { Projection = ServicesFixture.Projection };
        for (var i = 0; i < 512; i++)
        {
            var q = fixture.Queries[i % fixture.Queries.Count].Clone();
            q.Id = $"{q.Id}-{i}";
            request.Queries.Add(q);
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Gradients.ComputeQueryGradients(request, cancellationToken: cancel.Token)
            .ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await AssertModelFreeWithinAsync(StopWithin);
    }

    // A one-token Generate waits for the model; on an idle model it takes a few milliseconds.
    private async Task AssertModelFreeWithinAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        await fixture.Gradients.GenerateAsync(new GenerateRequest { Prompts = { new GenerationPrompt { Id = "probe", Prompt = "2 + 2?" } }, MaxNewTokens = 1 });
        Assert.True(clock.Elapsed < limit + TimeSpan.FromMilliseconds(500), $"the model was busy for {clock.Elapsed.TotalMilliseconds:F0} ms after the call ended");
    }
}
