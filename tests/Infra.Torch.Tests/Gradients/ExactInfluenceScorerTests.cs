using System.Diagnostics;
using Infra.Core.Compression;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Xunit.Abstractions;

namespace Infra.Torch.Tests.Gradients;

/// <summary>Exact influence against brute force: autograd weight gradients of each candidate dotted with the query gradient.</summary>
public sealed class ExactInfluenceScorerTests(ITestOutputHelper output)
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    private static readonly TokenizedExample[] Candidates =
    [
        TestModels.Example("c1", 9, 4, Vocab, 401),
        TestModels.Example("c2", 17, 7, Vocab, 402),
        TestModels.Example("c3", 6, 2, Vocab, 403),
        TestModels.Example("c4", 13, 13, Vocab, 404),
    ];

    private static readonly TokenizedExample[] Queries =
    [
        TestModels.Example("q1", 11, 5, Vocab, 501),
        TestModels.Example("q2", 8, 3, Vocab, 502),
        TestModels.Example("q3", 14, 6, Vocab, 503),
    ];

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.01)]
    public void Example_scores_are_autograd_weight_gradients_dotted_with_the_preconditioned_query(bool preconditioned, double damping)
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 21);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers);
        var factors = preconditioned ? Fit(computer) : null;
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var engine = new QueryGradientEngine(computer, identity);
        var reference = engine.Compute(Queries, MeasurementReduction.Mean, aggregate: false, factors, damping, batchSize: 2);
        using var queries = engine.ComputeFullSpace(Queries, MeasurementReduction.Mean, factors, damping, batchSize: 2);

        Assert.Equal(Queries.Select(q => q.Id), queries.QueryIds);
        Assert.Equal(preconditioned, queries.Preconditioned);
        for (var j = 0; j < Queries.Length; j++) Assert.Equal(reference[j].Measurement, queries.Measurements[j], 1e-5);
        if (factors is not null)
            Assert.Equal(factors.Select(f => f.EffectiveDamping(damping)), queries.Damping!);

        var clock = Stopwatch.StartNew();
        var scores = new ExactInfluenceScorer(computer, queries.Layers).Score(Candidates, truncate: false, includeTokens: true);
        output.WriteLine($"{Candidates.Length} candidates x {Queries.Length} queries x {layers.Count} layers: {clock.Elapsed.TotalMilliseconds:F1} ms");

        var expected = Candidates.Select(c => BruteForce(model, layers, c, reference)).ToArray();
        var largest = expected.SelectMany(e => e).Max(Math.Abs);
        Assert.True(largest > 0);
        for (var c = 0; c < Candidates.Length; c++)
        {
            var s = scores[c];
            Assert.Equal(Candidates[c].Id, s.ExampleId);
            Assert.Equal(Candidates[c].Ids.Length, s.Tokens);
            Assert.False(s.Truncated);
            Assert.Equal(Candidates[c].Ids.Length * Queries.Length, s.TokenScores!.Length);
            for (var j = 0; j < Queries.Length; j++)
            {
                var error = Math.Abs(s.ExampleScores[j] - expected[c][j]) / largest;
                output.WriteLine($"{s.ExampleId} x {Queries[j].Id}: {s.ExampleScores[j]:E6} vs {expected[c][j]:E6} (relative {error:E2})");
                Assert.True(error < 1e-6, $"{s.ExampleId} x {Queries[j].Id}: relative error {error}");
                var tokenSum = Enumerable.Range(0, s.Tokens).Sum(t => s.TokenScores[t * Queries.Length + j]);
                Assert.True(Math.Abs(tokenSum - s.ExampleScores[j]) <= 1e-9 * largest, $"{s.ExampleId} x {Queries[j].Id}: tokens sum to {tokenSum}");
            }
            // The example-only route (G_lᵀ A_l against each query) gives the same example scores.
            var direct = Assert.Single(new ExactInfluenceScorer(computer, queries.Layers).Score([Candidates[c]], truncate: false, includeTokens: false));
            Assert.Null(direct.TokenScores);
            for (var j = 0; j < Queries.Length; j++)
                Assert.True(Math.Abs(direct.ExampleScores[j] - expected[c][j]) < 1e-6 * largest, $"{s.ExampleId} x {Queries[j].Id}: example-only route {direct.ExampleScores[j]}");
            // The output at the last loss token's position (and after) predicts nothing that carries loss: its g_t is zero.
            var lastLoss = Array.LastIndexOf(Candidates[c].LossMask, (byte)1);
            for (var t = lastLoss; t < s.Tokens; t++)
                Assert.All(Enumerable.Range(0, Queries.Length), j => Assert.Equal(0.0, s.TokenScores[t * Queries.Length + j]));
        }
        factors?.Dispose();
    }

    [Fact]
    public void A_batch_scores_each_candidate_as_it_scores_alone()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 22);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers);
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        using var queries = new QueryGradientEngine(computer, identity).ComputeFullSpace(Queries, MeasurementReduction.Sum);
        var scorer = new ExactInfluenceScorer(computer, queries.Layers);

        var batched = scorer.Score(Candidates, truncate: false, includeTokens: true);
        var alone = Candidates.Select(c => Assert.Single(scorer.Score([c], truncate: false, includeTokens: true))).ToList();
        var largest = alone.SelectMany(s => s.TokenScores!).Max(Math.Abs);
        for (var c = 0; c < Candidates.Length; c++)
        {
            Assert.Equal(alone[c].Tokens, batched[c].Tokens);
            Assert.Equal(alone[c].TokenScores!.Length, batched[c].TokenScores!.Length);
            for (var i = 0; i < alone[c].TokenScores!.Length; i++)
                Assert.True(Math.Abs(alone[c].TokenScores![i] - batched[c].TokenScores![i]) <= 1e-6 * largest, $"{Candidates[c].Id} entry {i}");
        }
        Assert.Null(scorer.Score(Candidates[..1], truncate: false, includeTokens: false)[0].TokenScores);
    }

    [Fact]
    public void Over_long_candidates_are_refused_or_truncated()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 23);
        var layers = new LayerSelection { Pattern = "down_proj$" }.Select(model);
        var computer = new FactorComputer(model, layers, maxLength: 10);
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        using var queries = new QueryGradientEngine(computer, identity).ComputeFullSpace(Queries[..2], MeasurementReduction.Mean, truncate: true);
        var scorer = new ExactInfluenceScorer(computer, queries.Layers);
        var longOne = TestModels.Example("long", 16, 12, Vocab, 600);

        Assert.Throws<InvalidExampleException>(() => scorer.Score([longOne], truncate: false, includeTokens: false));
        var cut = Assert.Single(scorer.Score([longOne], truncate: true, includeTokens: true));
        Assert.True(cut.Truncated);
        Assert.Equal(10, cut.Tokens);
        Assert.Equal(20, cut.TokenScores!.Length);
    }

    // Σ_layers <Q̃_l, dL/dW_l> in float64, dL/dW_l from autograd on the candidate alone.
    private static double[] BruteForce(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, TokenizedExample candidate, IReadOnlyList<QueryGradient> queries)
    {
        var gradients = ExactFactorTests.AutogradWeightGradients(model, candidate);
        return queries.Select(q =>
        {
            double sum = 0;
            for (var l = 0; l < layers.Count; l++)
            {
                var w = gradients[layers[l].Name];
                Assert.Equal(w.Length, q.Layers[l].Length);
                for (var i = 0; i < w.Length; i++) sum += (double)w[i] * q.Layers[l][i];
            }
            return sum;
        }).ToArray();
    }

    [Fact]
    public void Queries_spooled_to_disk_and_read_one_layer_at_a_time_give_the_same_bits_as_held_in_memory()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 23);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers);
        using var factors = Fit(computer);
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var engine = new QueryGradientEngine(computer, identity);
        var folder = Path.Combine(Path.GetTempPath(), $"exact-spool-{Guid.NewGuid():N}");
        try
        {
            using var held = engine.ComputeFullSpace(Queries, MeasurementReduction.Mean, factors, 0.01, batchSize: 2);
            // Budget 0: every query set spools; batch size 2 over 3 queries appends to each layer's file twice.
            using var spooled = engine.ComputeFullSpace(Queries, MeasurementReduction.Mean, factors, 0.01, batchSize: 2, memoryBudgetBytes: 0, spoolFolder: folder);

            Assert.IsNotType<SpooledQueryLayers>(held.Layers);
            var spool = Assert.IsType<SpooledQueryLayers>(spooled.Layers);
            Assert.Equal(engine.FullSpaceBytes(Queries.Length), spool.Bytes);
            Assert.Equal(layers.Count, Directory.GetFiles(folder).Length);
            Assert.Equal(held.Measurements, spooled.Measurements);
            Assert.Equal(held.Damping!, spooled.Damping!);
            for (var l = 0; l < layers.Count; l++) Assert.Equal(held.Layers[l].shape, FullSpaceQueryGradients.ShapeOf(spooled.Layers, l));

            foreach (var tokens in new[] { true, false })
            {
                var expected = new ExactInfluenceScorer(computer, held.Layers).Score(Candidates, truncate: false, includeTokens: tokens);
                var actual = new ExactInfluenceScorer(computer, spooled.Layers).Score(Candidates, truncate: false, includeTokens: tokens);
                for (var c = 0; c < Candidates.Length; c++)
                {
                    Assert.Equal(expected[c].ExampleScores, actual[c].ExampleScores);
                    if (tokens) Assert.Equal(expected[c].TokenScores!, actual[c].TokenScores!);
                }
            }

            using var heldMeans = held.MeanBy(["a", "b", "a"]);
            using var spooledMeans = spooled.MeanBy(["a", "b", "a"]);
            for (var l = 0; l < layers.Count; l++) Assert.True(heldMeans.Layers[l].eq(spooledMeans.Layers[l]).all().item<bool>(), $"layer {l}'s means differ");

            spooled.Dispose();
            Assert.Empty(Directory.GetFiles(folder)); // the spool goes with the call
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static EkfacFactorSet Fit(FactorComputer computer)
    {
        var corpus = Enumerable.Range(0, 8).Select(i => TestModels.Example($"fit{i}", 8 + i, 4, Vocab, 700 + i)).ToList();
        return EkfacFitter.FitTwoPass(computer, corpus, batchSize: 4);
    }
}
