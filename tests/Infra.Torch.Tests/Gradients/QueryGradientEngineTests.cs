using Infra.Core.Compression;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

public sealed class QueryGradientEngineTests
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    [Theory]
    [InlineData(MeasurementReduction.Mean)]
    [InlineData(MeasurementReduction.Sum)]
    public void Query_gradient_is_the_projected_autograd_gradient_of_minus_f(MeasurementReduction reduction)
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 10);
        var layers = new LayerSelection().Select(model);
        var spec = new ProjectionSpec { KIn = 7, KOut = 5, Seed = 9 };
        using var projector = new Projector(layers, spec, CPU);
        var engine = new QueryGradientEngine(new FactorComputer(model, layers), projector);
        var queries = new[] { TestModels.Example("q1", 9, 3, Vocab, 31), TestModels.Example("q2", 13, 6, Vocab, 32) };

        var perQuery = engine.Compute(queries, reduction, aggregate: false, batchSize: 2);
        var aggregated = Assert.Single(engine.Compute(queries, reduction, aggregate: true, batchSize: 1));

        var sums = layers.Select(l => new float[5 * 7]).ToArray();
        for (var q = 0; q < queries.Length; q++)
        {
            var n = queries[q].LossMask.Skip(1).Count(m => m != 0);
            var scale = reduction == MeasurementReduction.Mean ? 1f / n : 1f;
            var exact = ExactFactorTests.AutogradWeightGradients(model, queries[q] with { LossScale = scale });
            Assert.Equal(queries[q].Id, perQuery[q].QueryId);
            Assert.False(perQuery[q].Preconditioned);
            for (var l = 0; l < layers.Count; l++)
            {
                var expected = Project(exact[layers[l].Name], layers[l], spec);
                Assert.True(TestModels.RelativeError(perQuery[q].Layers[l], expected) < 1e-5, $"{queries[q].Id} layer {l}");
                for (var i = 0; i < expected.Length; i++) sums[l][i] += expected[i] / queries.Length;
            }
        }
        for (var l = 0; l < layers.Count; l++)
            Assert.True(TestModels.RelativeError(aggregated.Layers[l], sums[l]) < 1e-5, $"aggregate layer {l}");
        Assert.Equal("", aggregated.QueryId);
        Assert.Equal((perQuery[0].Measurement + perQuery[1].Measurement) / 2, aggregated.Measurement, 5);
        Assert.All(perQuery, q => Assert.True(q.Measurement < 0));
    }

    [Fact]
    public void Full_space_preconditioning_happens_before_projection()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 12);
        var layers = new LayerSelection { Pattern = "down_proj$" }.Select(model);
        var computer = new FactorComputer(model, layers);
        var corpus = Enumerable.Range(0, 5).Select(i => TestModels.Example($"t{i}", 10, 4, Vocab, 200 + i)).ToList();
        using var fitter = new EkfacFitter(layers);
        using (var f = computer.Run(corpus)) fitter.AccumulateCovariance(f);
        using var factors = fitter.FinishCovariance();
        using (var f = computer.Run(corpus)) fitter.AccumulateLambda(f, factors);
        fitter.FinishLambda(factors);

        var spec = new ProjectionSpec { KIn = 6, KOut = 6, Seed = 4 };
        using var projector = new Projector(layers, spec, CPU);
        var query = TestModels.Example("q", 11, 5, Vocab, 300);
        var result = new QueryGradientEngine(computer, projector).Compute([query], MeasurementReduction.Mean, false, factors, damping: 0.01)[0];
        Assert.True(result.Preconditioned);

        using var exact = new Projector(layers, ProjectionSpec.Exact, CPU);
        var full = new QueryGradientEngine(computer, exact).Compute([query], MeasurementReduction.Mean, false)[0];
        for (var l = 0; l < layers.Count; l++)
        {
            var q = tensor(full.Layers[l], [layers[l].DOut, layers[l].DIn]);
            var expected = TestModels.ToArray(projector.ProjectWeightGradient(l, factors[l].Precondition(q, 0.01)));
            Assert.True(TestModels.RelativeError(result.Layers[l], expected) < 1e-4);
        }
    }

    // P_out G P_inᵀ in plain loops.
    private static float[] Project(float[] gradient, TrackedLayer layer, ProjectionSpec spec)
    {
        var pIn = RandomProjection.Create(spec.Seed, layer.Name, RandomProjection.Side.Input, spec.KIn, layer.DIn);
        var pOut = RandomProjection.Create(spec.Seed, layer.Name, RandomProjection.Side.Output, spec.KOut, layer.DOut);
        var left = GradientEngineTests.MatMulTransposed(GradientEngineTests.Transpose(gradient, layer.DOut, layer.DIn), layer.DIn, layer.DOut, pOut, spec.KOut);
        return GradientEngineTests.MatMulTransposed(GradientEngineTests.Transpose(left, layer.DIn, spec.KOut), spec.KOut, layer.DIn, pIn, spec.KIn);
    }
}
