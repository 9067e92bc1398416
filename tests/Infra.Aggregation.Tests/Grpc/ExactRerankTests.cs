using Grpc.Core;
using Infra.Client.Pipeline;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// The default read-outs are exact: equal to the exact-mode reference, i.e. the same corpus indexed with the identity
/// projection into a float32 store and the same queries preconditioned by the same full-space EK-FAC factors without
/// projection, scored by the ScoringService (the paper's quantity, which an independent float64 reference matched to 2e-5).
/// </summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ExactRerankTests(ServicesFixture fixture)
{
    private const string ReferenceSet = "held-out-exact";
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static ScoringService.ScoringServiceClient? _reference;

    [Fact]
    public async Task TopK_reranked_over_every_candidate_equals_the_exact_mode_reference()
    {
        var reference = await ReferenceAsync();
        var n = fixture.Training.Count;
        var reply = await fixture.Aggregation.TopKAsync(new TopKRequest
        {
            Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Candidates = (uint)n }, K = 5, Sequences = 3,
        });
        var exact = (await reference.Score(new ScoreRequest { QuerySet = ReferenceSet, TopK = (uint)n }).ResponseStream.ReadAllAsync().ToListAsync())
            .Select(r => r.Result).ToList();
        foreach (var (mine, theirs) in reply.Queries.Zip(exact))
        {
            Assert.Equal(ScoreFidelity.Exact, theirs.Fidelity);
            var scale = theirs.Top.Concat(theirs.Bottom).Max(e => Math.Abs(e.Score));
            Assert.Equal(theirs.Top.Take(5).Select(e => e.Id), mine.Top.Select(e => e.Id));
            Assert.Equal(theirs.Bottom.Take(5).Select(e => e.Id), mine.Bottom.Select(e => e.Id));
            foreach (var (m, t) in mine.Top.Concat(mine.Bottom).Zip(theirs.Top.Take(5).Concat(theirs.Bottom.Take(5))))
            {
                Assert.Equal(ScoreFidelity.Exact, m.Fidelity);
                Assert.Equal(t.Score, m.Score, 1e-4 * scale);
                Assert.True(double.IsFinite(m.ApproximateScore));
            }
            Assert.All(mine.TopSequences, s => Assert.Equal(ScoreFidelity.Exact, s.Fidelity));
        }
    }

    [Fact]
    public async Task Influence_token_scores_equal_the_exact_mode_references_and_sum_to_the_example_score()
    {
        var reference = await ReferenceAsync();
        var query = fixture.Queries[0];
        var reply = await fixture.Aggregation.InfluenceAsync(new InfluenceRequest
        {
            QuerySet = ServicesFixture.QuerySet, QueryId = query.Id, TopExamples = 3, TopTokens = 30, Candidates = (uint)fixture.Training.Count,
        });
        Assert.Equal(ScoreFidelity.Exact, reply.Fidelity);
        Assert.Equal((uint)fixture.Training.Count, reply.Candidates);
        InfluenceTests.AssertConsistent(reply);
        var ids = reply.Examples.Select(e => e.Id).ToList();
        var tokens = await reference.ScoreTokens(new ScoreTokensRequest { QuerySet = ReferenceSet, ExampleIds = { ids }, QueryIds = { query.Id } })
            .ResponseStream.ReadAllAsync().ToListAsync();
        var scale = tokens.SelectMany(t => t.Scores).Max(s => Math.Abs((double)s));
        foreach (var e in reply.Examples)
        {
            var t = tokens.Single(x => x.ExampleId == e.Id);
            Assert.Equal(t.ExampleScores[0], e.Score, 1e-4 * Math.Abs(t.ExampleScores.Max(Math.Abs)) + 1e-4 * scale);
            Assert.Equal(e.Score, e.TokenSum, 1e-5 * Math.Max(scale, Math.Abs(e.Score)));
        }
        Assert.NotEmpty(reply.Tokens);
        foreach (var token in reply.Tokens)
        {
            var t = tokens.Single(x => x.ExampleId == token.ExampleId);
            Assert.Equal(t.Scores[(int)token.TokenIndex], token.Score, 1e-4 * scale);
            Assert.Equal(ScoreFidelity.Exact, token.Fidelity);
        }
    }

    [Fact]
    public async Task Sequences_recomputed_exactly_need_no_stored_token_factors_and_equal_the_reference()
    {
        var reference = await ReferenceAsync();
        var ids = fixture.Training.Take(3).Select(e => e.Id).ToList();
        var reply = await fixture.Aggregation.SequencesAsync(new SequencesRequest { Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet }, ExampleIds = { ids } });
        var tokens = await reference.ScoreTokens(new ScoreTokensRequest { QuerySet = ReferenceSet, ExampleIds = { ids } }).ResponseStream.ReadAllAsync().ToListAsync();
        foreach (var (example, t) in reply.Examples.Zip(tokens))
        {
            Assert.Equal(ScoreFidelity.Exact, example.Fidelity);
            var scale = t.Scores.Max(s => Math.Abs((double)s));
            for (var q = 0; q < t.QueryIds.Count; q++)
            {
                Assert.Equal(t.ExampleScores[q], example.ExampleScores[q], 1e-4 * Math.Max(scale, Math.Abs(t.ExampleScores[q])) * t.Tokens.Count);
                var response = Enumerable.Range(0, t.Tokens.Count).Where(i => t.LossMask[i] == 1).Sum(i => (double)t.Scores[i * t.QueryIds.Count + q]);
                Assert.Equal(response, example.Sequences.Sum(s => s.Scores[q]), 1e-4 * scale * t.Tokens.Count);
            }
        }
    }

    [Fact]
    public async Task Bad_candidate_counts_and_a_set_without_recipe_are_refused_clearly()
    {
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.TopKAsync(new TopKRequest
        {
            Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Candidates = (uint)fixture.Training.Count + 1 },
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("candidates must be in [1,", tooMany.Status.Detail, StringComparison.Ordinal);

        // A set registered the old way (no recipe) can be read approximately, but an exact read-out says why it cannot.
        var chunks = await fixture.Gradients.ComputeQueryGradients(new ComputeQueryGradientsRequest
        {
            Projection = ServicesFixture.Projection, FactorsName = ServicesFixture.Factors, Queries = { fixture.Queries[0] },
        }).ResponseStream.ReadAllAsync().ToListAsync();
        using (var register = fixture.Scoring.RegisterQueries())
        {
            await register.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = new QuerySetHeader { Name = "no-recipe" } });
            foreach (var c in chunks) await register.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = c });
            await register.RequestStream.CompleteAsync();
            await register;
        }
        var noRecipe = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = "no-recipe" } }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, noRecipe.StatusCode);
        Assert.Contains("registered without a recipe", noRecipe.Status.Detail, StringComparison.Ordinal);
        var approximate = await fixture.Aggregation.TopKAsync(new TopKRequest { Queries = new QuerySelection { QuerySet = "no-recipe", Rerank = RerankMode.None }, K = 3 });
        Assert.All(approximate.Queries.Single().Top, e => Assert.Equal(ScoreFidelity.Approximate, e.Fidelity));
    }

    // The exact-mode reference store, built once for the collection: identity projection, float32, token factors.
    private async Task<ScoringService.ScoringServiceClient> ReferenceAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_reference is not null) return _reference;
            var address = await fixture.StartScoringAsync(Path.Combine(fixture.Root, "exact-store"));
            var client = new ScoringService.ScoringServiceClient(global::Grpc.Net.Client.GrpcChannel.ForAddress(address,
                new global::Grpc.Net.Client.GrpcChannelOptions { MaxReceiveMessageSize = 256 << 20, MaxSendMessageSize = 256 << 20 }));
            var identity = new Contracts.Gradients.V1.ProjectionSpec { Identity = true };
            using (var call = fixture.Gradients.ComputeGradients())
            {
                await call.RequestStream.WriteAsync(new ComputeGradientsRequest
                {
                    Options = new GradientOptions
                    {
                        Projection = identity, IncludeExampleGradient = true, IncludeTokenFactors = true, ForwardTo = address.ToString(),
                        ForwardStoreDtype = WireDtype.Float32,
                    },
                });
                foreach (var e in fixture.Training) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
                await call.RequestStream.CompleteAsync();
                await call.ResponseStream.ReadAllAsync().ToListAsync();
            }
            await new InfluencePipeline(fixture.Gradients, fixture.GradientAddress, client, null).RegisterQueriesAsync(new QueryRegistration
            {
                QuerySet = ReferenceSet, Queries = fixture.Queries, FactorsName = ServicesFixture.Factors, PreconditionStage1 = true, Projection = identity,
            }, CancellationToken.None);
            return _reference = client;
        }
        finally
        {
            Once.Release();
        }
    }
}
