using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Validation.Exact;
using Infra.Validation.Influence;
using static TorchSharp.torch;

namespace Infra.Validation.Tests;

public sealed class ExactInfluenceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Exact_scores_solve_the_damped_fisher_system()
    {
        using var model = TinyModels.Create(seed: 4);
        var layers = new LayerSelection { LastLayer = 0 }.Select(model);
        var training = TinyModels.Sequences("t", 10, seed: 1);
        var queries = TinyModels.Sequences("q", 2, seed: 2);
        var exact = ExactInfluence.Scores(model, layers, training, queries);

        // Check the defining equation instead of recomputing the inverse: v = (F + D)^-1 q, so (F + D) v = q and
        // I(n) = <v, g_n>. With v solved by float64 least squares from the same gradients, the scores must agree.
        var (g, q) = FullGradients(model, layers, training, queries);
        var n = g.shape[0];
        var fisher = g.t().matmul(g) / n;
        var dims = layers.Select(l => (long)l.DIn * l.DOut).ToArray();
        var damping = new List<double>();
        long offset = 0;
        foreach (var d in dims)
        {
            var mean = fisher.diagonal().narrow(0, offset, d).mean().item<double>();
            damping.AddRange(Enumerable.Repeat(0.1 * mean, (int)d));
            offset += d;
        }
        var v = linalg.solve(fisher + diag(tensor(damping.ToArray())), q.t());
        var expected = g.matmul(v).t();
        for (var i = 0; i < queries.Count; i++)
            for (var j = 0; j < training.Count; j++)
                Assert.Equal(expected[i, j].item<double>(), exact[i][j], 1e-6 * Math.Max(1, Math.Abs(expected[i, j].item<double>())));
    }

    [Fact]
    public void Without_projection_store_fitted_ekfac_equals_full_space_ekfac_and_every_method_is_finite()
    {
        using var model = TinyModels.Create(seed: 6);
        var layers = new LayerSelection().Select(model);
        var training = TinyModels.Sequences("t", 16, seed: 3);
        var queries = TinyModels.Sequences("q", 3, seed: 4);
        var estimator = new InfluenceEstimator(model, layers, "test");
        var fullSpace = estimator.FitFullSpaceEkfac(training);
        var scores = estimator.Score(training, queries, ProjectionSpec.Exact, Path.Combine(_temp.Path, "store"), InfluenceEstimator.AllMethods, fullSpace);
        fullSpace.Dispose();
        Assert.Equal(InfluenceEstimator.AllMethods.Order(), scores.Scores.Keys.Order());
        Assert.All(scores.Scores.Values, s => Assert.All(s, row => Assert.All(row, x => Assert.True(double.IsFinite(x)))));
        // Without projection the store-fitted EK-FAC and the gradient side's full-space EK-FAC are the same operator.
        var a = scores.Scores[InfluenceMethod.Ekfac];
        var b = scores.Scores[InfluenceMethod.EkfacFullSpace];
        var scale = a.SelectMany(r => r).Max(Math.Abs);
        for (var q = 0; q < a.Length; q++)
            for (var n = 0; n < a[q].Length; n++)
                Assert.True(Math.Abs(a[q][n] - b[q][n]) <= 1e-4 * scale, $"query {q}, example {n}: {a[q][n]} vs {b[q][n]}");
    }

    private static (Tensor G, Tensor Q) FullGradients(Infra.Torch.Model.Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers,
        List<TokenizedExample> training, List<TokenizedExample> queries)
    {
        var computer = new FactorComputer(model, layers);
        using var projector = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var g = new GradientEngine(computer, projector) { IncludeTokenFactors = false }.Compute(training)
            .Select(e => e.Layers.SelectMany(l => l.ExampleGradient!).Select(x => (double)x).ToArray()).ToList();
        var q = new QueryGradientEngine(computer, projector).Compute(queries, MeasurementReduction.Mean, aggregate: false)
            .Select(x => x.Layers.SelectMany(l => l).Select(v => (double)v).ToArray()).ToList();
        return (tensor(g.SelectMany(x => x).ToArray(), [g.Count, g[0].Length]), tensor(q.SelectMany(x => x).ToArray(), [q.Count, q[0].Length]));
    }
}
