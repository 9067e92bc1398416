using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Validation.Lds;

namespace Infra.Validation.Tests;

public sealed class MeasurementTests
{
    [Fact]
    public void Mean_answer_log_likelihood_equals_the_query_gradient_engines_measurement()
    {
        using var model = TinyModels.Create(seed: 2);
        var queries = TinyModels.Sequences("q", 5, seed: 9);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, new ProjectionSpec { KIn = 4, KOut = 4 }, model.Device);
        var engine = new QueryGradientEngine(new FactorComputer(model, layers), projector);
        var expected = engine.Compute(queries, MeasurementReduction.Mean, aggregate: false).Select(q => (double)q.Measurement).ToArray();
        var actual = Measurement.MeanAnswerLogLikelihood(model, queries);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 4);
        Assert.All(actual, f => Assert.True(f < 0));
    }
}
