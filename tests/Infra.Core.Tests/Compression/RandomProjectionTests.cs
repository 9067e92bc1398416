using Infra.Core.Compression;

namespace Infra.Core.Tests.Compression;

public sealed class RandomProjectionTests
{
    [Fact]
    public void Same_seed_layer_and_side_give_identical_matrices_and_anything_else_differs()
    {
        var a = RandomProjection.Create(7, "model.layers.0.mlp.up_proj", RandomProjection.Side.Input, 16, 40);
        Assert.Equal(a, RandomProjection.Create(7, "model.layers.0.mlp.up_proj", RandomProjection.Side.Input, 16, 40));
        Assert.NotEqual(a, RandomProjection.Create(8, "model.layers.0.mlp.up_proj", RandomProjection.Side.Input, 16, 40));
        Assert.NotEqual(a, RandomProjection.Create(7, "model.layers.1.mlp.up_proj", RandomProjection.Side.Input, 16, 40));
        Assert.NotEqual(a, RandomProjection.Create(7, "model.layers.0.mlp.up_proj", RandomProjection.Side.Output, 16, 40));
    }

    [Fact]
    public void Entries_are_gaussian_with_variance_one_over_k()
    {
        const int k = 64, d = 4096;
        var p = RandomProjection.Create(1, "layer", RandomProjection.Side.Input, k, d);
        var mean = p.Average(v => (double)v);
        var variance = p.Sum(v => (v - mean) * (v - mean)) / p.Length;
        Assert.InRange(mean, -0.003, 0.003);
        Assert.InRange(variance * k, 0.97, 1.03);
        // Fourth moment of a Gaussian is 3 sigma^4: distinguishes it from a uniform or Rademacher draw.
        var kurtosis = p.Sum(v => Math.Pow(v - mean, 4)) / p.Length / (variance * variance);
        Assert.InRange(kurtosis, 2.9, 3.1);
    }

    [Fact]
    public void Projection_preserves_inner_products_in_expectation()
    {
        // Johnson–Lindenstrauss: E[<Px, Py>] = <x, y>; averaged over seeds the error shrinks.
        const int k = 32, d = 256;
        var random = new Random(3);
        var x = Enumerable.Range(0, d).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var y = x.Select(v => v + 0.3f * ((float)random.NextDouble() - 0.5f)).ToArray();
        var exact = x.Zip(y, (a, b) => (double)a * b).Sum();
        double sum = 0;
        const int trials = 200;
        for (var s = 0; s < trials; s++)
        {
            var p = RandomProjection.Create((ulong)s, "l", RandomProjection.Side.Input, k, d);
            var px = Project(p, x, k, d);
            var py = Project(p, y, k, d);
            sum += px.Zip(py, (a, b) => a * b).Sum();
        }
        Assert.InRange(sum / trials / exact, 0.95, 1.05);
    }

    [Fact]
    public void Bad_dims_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomProjection.Create(0, "l", RandomProjection.Side.Input, 0, 4));
        Assert.Throws<ArgumentException>(() => new ProjectionSpec { KIn = -1 }.Validate());
        Assert.Equal((8, 4), new ProjectionSpec { KIn = 8, KOut = 16 }.DimsFor(100, 4));
        Assert.Equal((100, 4), ProjectionSpec.Exact.DimsFor(100, 4));
    }

    private static double[] Project(float[] p, float[] x, int k, int d) =>
        Enumerable.Range(0, k).Select(i => Enumerable.Range(0, d).Sum(j => (double)p[i * d + j] * x[j])).ToArray();
}
