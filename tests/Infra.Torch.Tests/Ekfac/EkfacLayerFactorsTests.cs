using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Ekfac;

/// <summary>Who owns the native tensors of EK-FAC factors: the factors, and for a fit or a load, the one set.</summary>
public sealed class EkfacLayerFactorsTests
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    [Fact]
    public void The_factors_own_their_tensors_and_free_each_once()
    {
        var tensors = new[] { eye(2, dtype: ScalarType.Float64), ones(2, dtype: ScalarType.Float64), eye(3, dtype: ScalarType.Float64), ones(3, dtype: ScalarType.Float64) };
        var firstLambda = ones(3, 2, dtype: ScalarType.Float64);
        var secondLambda = ones(3, 2, dtype: ScalarType.Float64) * 2;
        var factors = new EkfacLayerFactors("layer", tensors[0], tensors[1], tensors[2], tensors[3], firstLambda);

        // Setting Λ takes the new tensor and frees the replaced one at once; setting the same one again keeps it.
        factors.SetLambda(secondLambda);
        Assert.True(firstLambda.IsInvalid);
        factors.SetLambda(secondLambda);
        Assert.False(secondLambda.IsInvalid);
        Assert.All(tensors, t => Assert.False(t.IsInvalid));

        factors.Dispose();
        Assert.True(factors.IsDisposed);
        Assert.All(tensors, t => Assert.True(t.IsInvalid));
        Assert.True(secondLambda.IsInvalid);
        factors.Dispose(); // a second dispose does nothing
        Assert.Throws<ObjectDisposedException>(() => factors.ActivationEigenvectors);
        Assert.Throws<ObjectDisposedException>(() => factors.Lambda);
        Assert.Throws<ObjectDisposedException>(() => factors.SetLambda(ones(3, 2, dtype: ScalarType.Float64)));
    }

    [Fact]
    public void A_two_pass_fit_returns_one_set_that_owns_bases_and_correction()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        var layers = new LayerSelection { Pattern = "down_proj$" }.Select(model);
        var corpus = Enumerable.Range(0, 3).Select(i => TestModels.Example($"o{i}", 6, 3, Vocab, 40 + i)).ToList();
        var fitted = EkfacFitter.FitTwoPass(new FactorComputer(model, layers), corpus, batchSize: 2);
        var held = fitted.SelectMany(f => new[] { f.ActivationEigenvectors, f.ActivationEigenvalues, f.GradientEigenvectors, f.GradientEigenvalues, f.Lambda! }).ToList();
        Assert.Equal(layers.Count * 5, held.Count);
        Assert.All(held, t => Assert.False(t.IsInvalid));

        fitted.Dispose();
        Assert.All(fitted, f => Assert.True(f.IsDisposed));
        Assert.All(held, t => Assert.True(t.IsInvalid));
        fitted.Dispose();
    }
}
