using System.Runtime.InteropServices;
using Infra.Core.Compression;
using Infra.Torch.Gradients;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

/// <summary>
/// Stage 2's memory bound: the scorer consumes the candidates' factors layer by layer, and that changes no digit of
/// the scores against the earlier implementation (every layer's factors at once, one dispose scope for the batch).
/// </summary>
public sealed class ExactScoringMemoryTests
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    // 4 decoder layers x gate/up/down: 12 tracked layers, 3 per decoder layer.
    private static readonly Infra.Core.Checkpoints.HfModelConfig Config = TestModels.Qwen2Tiny with { NumHiddenLayers = 4 };

    private static readonly TokenizedExample[] Candidates =
    [
        TestModels.Example("c1", 9, 4, Vocab, 801),
        TestModels.Example("c2", 17, 7, Vocab, 802),
        TestModels.Example("c3", 6, 2, Vocab, 803),
    ];

    private static readonly TokenizedExample[] Queries =
    [
        TestModels.Example("q1", 11, 5, Vocab, 901),
        TestModels.Example("q2", 8, 3, Vocab, 902),
    ];

    [Theory]
    [InlineData(false, false)] // the whole graph at once
    [InlineData(false, true)]
    [InlineData(true, false)]  // recomputed layer by layer
    [InlineData(true, true)]
    public void Scores_are_the_bits_of_scoring_every_layer_at_once(bool layerwise, bool includeTokens)
    {
        using var model = TestModels.Create(Config, seed: 31);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers) { ActivationBudgetBytes = layerwise ? 0 : long.MaxValue };
        Assert.Equal(layerwise, computer.RecomputesLayerwise(Candidates));
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        using var queries = new QueryGradientEngine(computer, identity).ComputeFullSpace(Queries, MeasurementReduction.Mean);

        var actual = new ExactInfluenceScorer(computer, queries.Layers).Score(Candidates, truncate: false, includeTokens);
        var (examples, tokens) = AllLayersAtOnce(computer, queries.Layers, includeTokens);

        for (var c = 0; c < Candidates.Length; c++)
        {
            Assert.Equal(examples[c], actual[c].ExampleScores);
            if (includeTokens) Assert.Equal(tokens![c], actual[c].TokenScores!);
            else Assert.Null(actual[c].TokenScores);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void While_a_layer_is_scored_at_most_one_decoder_layers_factors_and_no_earlier_layers_work_are_alive(bool layerwise, bool includeTokens)
    {
        using var model = TestModels.Create(Config, seed: 32);
        var layers = new LayerSelection().Select(model);
        var perDecoderLayer = layers.Count / Config.NumHiddenLayers;
        var computer = new FactorComputer(model, layers) { ActivationBudgetBytes = layerwise ? 0 : long.MaxValue };
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        using var queries = new QueryGradientEngine(computer, identity).ComputeFullSpace(Queries, MeasurementReduction.Mean);
        var seen = new List<(Tensor A, Tensor G)>();
        var alive = new List<int>();
        var live = new List<long>();
        var formedBefore = computer.LayersFormed; // the queries'
        var scorer = new ExactInfluenceScorer(computer, queries.Layers)
        {
            LayerScored = (_, a, g) =>
            {
                seen.Add((a, g));
                // Layers whose factors have been formed and not yet scored (alive, since they are scored later), and those
                // scored (this one included) whose factors have not been freed.
                var pending = (int)(computer.LayersFormed - formedBefore) - seen.Count;
                alive.Add(pending + seen.Count(s => !s.A.IsInvalid || !s.G.IsInvalid));
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            },
        };

        scorer.Score(Candidates, truncate: false, includeTokens);

        Assert.Equal(layers.Count, seen.Count);
        Assert.True(layers.Count >= 3 * perDecoderLayer);
        // Recomputed layer by layer: one decoder layer's factors at a time (every layer's at once would be 12 here). In one
        // graph every layer's g_t comes from one autograd.grad, so all are formed at once; each goes as it is scored.
        var expected = layerwise ? Enumerable.Repeat(perDecoderLayer, layers.Count) : Enumerable.Range(1, layers.Count).Reverse();
        Assert.True(layerwise ? alive.Max() <= perDecoderLayer : alive.SequenceEqual(expected),
            $"layers' factors alive as each layer is scored: {string.Join(", ", alive)}");
        // From one decoder layer to the next, at the same tracked layer in it (the sweep's own tensors differ within a decoder
        // layer), live tensors grow by at most the parts of the scores kept until they are added in layer order, one
        // [B, T, Q] or [B, Q] tensor per layer: any other growth is an earlier layer's float64 work still alive.
        for (var k = perDecoderLayer; k < live.Count; k++)
            Assert.True(live[k] - live[k - perDecoderLayer] <= perDecoderLayer, $"live tensors as each layer is scored: {string.Join(", ", live)}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Full_space_queries_are_the_bits_of_forming_every_layer_at_once(bool layerwise)
    {
        using var model = TestModels.Create(Config, seed: 33);
        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers) { ActivationBudgetBytes = layerwise ? 0 : long.MaxValue };
        using var factors = Fit(computer);
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);

        // Two batches: each layer's gradients must still come in batch order when layers come from the top down.
        using var actual = new QueryGradientEngine(computer, identity).ComputeFullSpace(Queries, MeasurementReduction.Mean, factors, 0.01, batchSize: 1);

        // As ComputeFullSpace formed them before the bound: every layer's factors of a batch at once, in layer order.
        var expected = layers.Select(_ => new List<Tensor>()).ToList();
        var measurements = new List<double>();
        foreach (var query in Queries)
        {
            var n = query.LossMask.Skip(1).Count(m => m != 0);
            using var batch = computer.Run([computer.Prepare(query with { LossScale = 1f / n }, false, out _)]);
            measurements.Add(-batch.TokenLosses.sum().item<float>() / (double)n);
            for (var l = 0; l < layers.Count; l++)
            {
                var full = batch.OutputGradients[l].to_type(ScalarType.Float64).transpose(1, 2).bmm(batch.Inputs[l].to_type(ScalarType.Float64));
                expected[l].Add(factors[l].Precondition(full[0], 0.01).unsqueeze(0));
            }
        }
        Assert.Equal(measurements, actual.Measurements);
        for (var l = 0; l < layers.Count; l++)
            Assert.True(Same(cat(expected[l], 0), actual.Layers[l]), $"{layers[l].Name}: the query gradients differ");
        foreach (var t in expected.SelectMany(e => e)) t.Dispose();
    }

    [Fact]
    public void A_streamed_factor_layer_read_inside_the_sweep_is_still_there_for_the_next_batch()
    {
        using var model = TestModels.Create(Config, seed: 34);
        // One tracked layer: the second batch asks for the layer the first one read, and the list hands it out again.
        var layers = new LayerSelection { Pattern = "down_proj$", FirstLayer = 3 }.Select(model);
        var computer = new FactorComputer(model, layers) { ActivationBudgetBytes = 0 };
        Assert.True(computer.RecomputesLayerwise(Queries));
        using var held = Fit(computer);
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var root = Directory.CreateTempSubdirectory("infra-stage2-").FullName;
        try
        {
            var store = new Infra.Torch.Ekfac.EkfacFactorStore(root);
            var names = layers.Select(l => l.Name).ToList();
            store.Save(new Infra.Torch.Ekfac.EkfacFactorsManifest
            {
                Name = "f",
                ModelFingerprint = "tiny",
                Layers = names,
                Phase = Infra.Torch.Ekfac.EkfacFactorsManifest.CorrectedPhase,
                ChatFormat = "qwen25",
            }, held);
            using var streamed = store.OpenStreamed("f", "tiny", names);
            var engine = new QueryGradientEngine(computer, identity);

            using var expected = engine.ComputeFullSpace(Queries, MeasurementReduction.Mean, held, 0.01, batchSize: 1);
            using var actual = engine.ComputeFullSpace(Queries, MeasurementReduction.Mean, streamed, 0.01, batchSize: 1);

            Assert.Equal(1, streamed.Reads);
            Assert.True(Same(expected.Layers[0], actual.Layers[0]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool Same(Tensor expected, Tensor actual) =>
        expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>();

    private static Infra.Torch.Ekfac.EkfacFactorSet Fit(FactorComputer computer)
    {
        var corpus = Enumerable.Range(0, 6).Select(i => TestModels.Example($"fit{i}", 8 + i, 4, Vocab, 950 + i)).ToList();
        return Infra.Torch.Ekfac.EkfacFitter.FitTwoPass(computer, corpus, batchSize: 3);
    }

    // The scorer as it was before the bound: Run returns every layer's factors, each layer is cast and scored in one scope,
    // added into the total in layer order.
    private static (double[][] Examples, double[][]? Tokens) AllLayersAtOnce(FactorComputer computer, IReadOnlyList<Tensor> queries, bool includeTokens)
    {
        var prepared = Candidates.Select(e => computer.Prepare(e with { LossScale = 1f }, false, out _)).ToList();
        var q = (int)queries[0].shape[0];
        using var factors = computer.Run(prepared);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (var l = 0; l < queries.Count; l++)
        {
            var g = factors.OutputGradients[l].to_type(ScalarType.Float64);
            var a = factors.Inputs[l].to_type(ScalarType.Float64);
            var ql = queries[l].to_type(ScalarType.Float64);
            var perQuery = includeTokens
                ? stack(Enumerable.Range(0, q).Select(j => g.matmul(ql[j]).mul_(a).sum([-1L])).ToList(), 2)
                : g.transpose(1, 2).bmm(a).reshape(prepared.Count, -1).matmul(ql.reshape(q, -1).t());
            total = total is null ? perQuery : total.add_(perQuery);
        }
        var host = total!.cpu().contiguous();
        var all = MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
        if (!includeTokens)
            return (Enumerable.Range(0, prepared.Count).Select(b => all.AsSpan(b * q, q).ToArray()).ToArray(), null);
        var t = (int)host.shape[1];
        var tokens = Enumerable.Range(0, prepared.Count).Select(b => all.AsSpan(b * t * q, factors.Lengths[b] * q).ToArray()).ToArray();
        // Example scores as the scorer sums them: token by token, in order.
        var examples = tokens.Select((rows, b) =>
        {
            var sums = new double[q];
            for (var i = 0; i < factors.Lengths[b]; i++)
                for (var j = 0; j < q; j++)
                    sums[j] += rows[i * q + j];
            return sums;
        }).ToArray();
        return (examples, tokens);
    }
}
