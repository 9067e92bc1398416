using Grpc.Core;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>Influence across the three services: prompt + answer, prompt alone, query-set id; deadlines and cancellation.</summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class InfluenceTests(ServicesFixture fixture)
{
    [Fact]
    public async Task Prompt_with_answer_without_a_rerank_is_scored_like_the_scoring_service_scores_its_registered_gradient_and_repeats_reuse_it()
    {
        var query = fixture.Queries[0];
        var request = new InfluenceRequest
        {
            Prompt = new PromptQuery { Prompt = query.Prompt, Answer = query.Response, Domain = query.Domain },
            FactorsName = ServicesFixture.Factors, TopExamples = 4, TopSequences = 5, TopTokens = 8, Rerank = RerankMode.None,
        };
        var reply = await fixture.Aggregation.InfluenceAsync(request);
        Assert.StartsWith("influence-", reply.QuerySet, StringComparison.Ordinal);
        Assert.False(reply.Generated);
        Assert.Equal(query.Response, reply.Answer);
        Assert.Equal(4, reply.Examples.Count);
        Assert.Equal(5, reply.Sequences.Count);
        Assert.Equal(8, reply.Tokens.Count);

        var direct = (await fixture.Scoring.Score(new ScoreRequest { QuerySet = reply.QuerySet, TopK = 4 }).ResponseStream.ReadAllAsync().ToListAsync()).Single().Result;
        Assert.Equal(direct.Top.Select(e => (e.Id, e.Score)), reply.Examples.Select(e => (e.Id, e.Score)));
        Assert.Equal(direct.Measurement, reply.Measurement);
        // The same question registered in the fixture under "held-out" got the same gradient: same scores.
        var heldOut = (await fixture.Scoring.Score(new ScoreRequest { QuerySet = ServicesFixture.QuerySet, TopK = 4, QueryIds = { query.Id } })
            .ResponseStream.ReadAllAsync().ToListAsync()).Single().Result;
        Assert.Equal(heldOut.Top.Select(e => e.Id), reply.Examples.Select(e => e.Id));
        AssertConsistent(reply);

        var again = await fixture.Aggregation.InfluenceAsync(request);
        Assert.True(again.Reused);
        Assert.False(reply.Reused);
        Assert.Equal(reply.QuerySet, again.QuerySet);
        Assert.Equal(reply.Examples.Select(e => e.Score), again.Examples.Select(e => e.Score));
    }

    [Fact]
    public async Task Prompt_alone_uses_and_returns_the_models_greedy_answer()
    {
        var query = fixture.Queries[1];
        var reply = await fixture.Aggregation.InfluenceAsync(new InfluenceRequest
        {
            Prompt = new PromptQuery { Prompt = query.Prompt, Domain = query.Domain }, FactorsName = ServicesFixture.Factors, MaxNewTokens = 96,
        });
        var greedy = await fixture.Gradients.GenerateAsync(new GenerateRequest { MaxNewTokens = 96, Prompts = { new GenerationPrompt { Id = "g", Prompt = query.Prompt } } });
        Assert.True(reply.Generated);
        Assert.Equal(greedy.Answers[0].Answer, reply.Answer);
        Assert.NotEmpty(reply.Answer);
        Assert.Equal(10, reply.Examples.Count);
        Assert.Equal(ScoreFidelity.Exact, reply.Fidelity);
        Assert.All(reply.Examples, e => Assert.Equal(ScoreFidelity.Exact, e.Fidelity));
        Assert.All(reply.Tokens, t => Assert.Equal(ScoreFidelity.Exact, t.Fidelity));
        AssertConsistent(reply);
    }

    [Fact]
    public async Task Query_set_id_without_a_rerank_gives_the_scoring_services_scores_for_that_query()
    {
        var query = fixture.Queries[1];
        var reply = await fixture.Aggregation.InfluenceAsync(new InfluenceRequest { QuerySet = ServicesFixture.QuerySet, QueryId = query.Id, TopExamples = 6, Rerank = RerankMode.None });
        var direct = (await fixture.Scoring.Score(new ScoreRequest { QuerySet = ServicesFixture.QuerySet, TopK = 6, QueryIds = { query.Id } })
            .ResponseStream.ReadAllAsync().ToListAsync()).Single().Result;
        Assert.Equal(ServicesFixture.QuerySet, reply.QuerySet);
        Assert.Equal(query.Id, reply.QueryId);
        Assert.Equal(direct.Top.Select(e => (e.Id, e.Domain, e.Difficulty, e.Score)), reply.Examples.Select(e => (e.Id, e.Domain, e.Difficulty, e.Score)));
        AssertConsistent(reply);

        var ambiguous = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.InfluenceAsync(new InfluenceRequest { QuerySet = ServicesFixture.QuerySet }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ambiguous.StatusCode);
        Assert.Contains("name one with query_id", ambiguous.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_deadline_reaches_both_downstream_services()
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        var before = (fixture.GradientCalls.Calls.Count, fixture.ScoringCalls.Calls.Count);
        await fixture.Aggregation.InfluenceAsync(new InfluenceRequest
        {
            Prompt = new PromptQuery { Prompt = "What is 2 + 3?", Answer = "2 + 3 = 5.\nThe answer is 5.", Domain = "math" }, TopExamples = 2,
        }, deadline: deadline);
        var gradientCalls = fixture.GradientCalls.Calls.Skip(before.Item1).ToList();
        var scoringCalls = fixture.ScoringCalls.Calls.Skip(before.Item2).ToList();
        Assert.Contains(gradientCalls, c => c.Method.EndsWith("/ComputeQueryGradients", StringComparison.Ordinal));
        Assert.Contains(scoringCalls, c => c.Method.EndsWith("/Score", StringComparison.Ordinal));
        Assert.Contains(scoringCalls, c => c.Method.EndsWith("/RegisterQueries", StringComparison.Ordinal));
        // Every downstream call carried the caller's deadline, none the "no deadline" maximum. gRPC sends a deadline as the
        // time remaining (grpc-timeout) and the receiving server adds it to its own clock on arrival, so a call that waits
        // for a thread on 2 loaded cores lands later by that wait (a CI run saw +2.15 s on ScoreExact): the upper bound
        // allows it, still far below what a missing deadline (DateTime.MaxValue) or another one would give.
        Assert.All(gradientCalls.Concat(scoringCalls), c => Assert.InRange(c.Deadline, deadline.AddSeconds(-1), deadline.AddSeconds(30)));
    }

    [Fact]
    public async Task A_very_short_deadline_ends_in_deadline_exceeded_not_a_hang()
    {
        var call = fixture.Aggregation.InfluenceAsync(new InfluenceRequest
        {
            Prompt = new PromptQuery { Prompt = "Write a Python function that returns the sum of a list.", Domain = "code" }, MaxNewTokens = 200,
        }, deadline: DateTime.UtcNow.AddMilliseconds(150));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Cancelling_influence_cancels_the_downstream_call_in_flight()
    {
        fixture.GradientCalls.Watch = "/Generate";
        fixture.GradientCalls.Hold = true;
        fixture.GradientCalls.Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.GradientCalls.Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using var cancel = new CancellationTokenSource();
            var call = fixture.Aggregation.InfluenceAsync(new InfluenceRequest
            {
                // A prompt never asked before, so the answer is generated on the GradientService (held there until cancelled).
                Prompt = new PromptQuery { Prompt = $"Count from 1 to 400, one number per line ({Guid.NewGuid():N}).", Domain = "code" }, MaxNewTokens = 400,
            }, cancellationToken: cancel.Token);
            await fixture.GradientCalls.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            cancel.Cancel();
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
            var cancelled = await fixture.GradientCalls.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("/infra.gradients.v1.GradientService/Generate", cancelled);
        }
        finally
        {
            fixture.GradientCalls.Hold = false;
            fixture.GradientCalls.Watch = "";
        }
    }

    // Token scores sum to the example score; the response tokens' sum is what the sequences partition.
    internal static void AssertConsistent(InfluenceResponse reply)
    {
        foreach (var e in reply.Examples)
        {
            Assert.Equal(e.Score, e.TokenSum, 1e-3 * Math.Max(1, Math.Abs(e.Score)));
            Assert.InRange(e.ResponseStart + e.ResponseLength, 1, e.Text.Length);
        }
        Assert.True(reply.Examples.Zip(reply.Examples.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        foreach (var t in reply.Tokens)
        {
            var example = reply.Examples.Single(e => e.Id == t.ExampleId);
            Assert.Equal(example.Text.Substring(t.CharStart, t.CharLength), t.Token);
            Assert.True(t.CharStart >= example.ResponseStart);
        }
        Assert.True(reply.Tokens.Zip(reply.Tokens.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        foreach (var s in reply.Sequences)
            Assert.Equal(reply.Examples.Single(e => e.Id == s.ExampleId).Text.Substring(s.CharStart, s.CharLength), s.Text);
        Assert.True(reply.Sequences.Zip(reply.Sequences.Skip(1)).All(p => p.First.Scores[0] >= p.Second.Scores[0]));
    }
}
