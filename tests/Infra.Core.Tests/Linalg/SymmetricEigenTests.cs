using Infra.Core.Linalg;

namespace Infra.Core.Tests.Linalg;

public sealed class SymmetricEigenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(64)]
    public void Decomposition_reconstructs_the_matrix_with_orthonormal_vectors_and_ascending_values(int n)
    {
        var random = new Random(n);
        // A covariance-like matrix: XᵀX with some zero directions when n is large.
        var rows = Math.Max(1, n - 3);
        var x = Enumerable.Range(0, rows * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var a = Dense.Multiply(x, rows, n, true, x, rows, n, false);
        var (values, vectors) = SymmetricEigen.Decompose(a, n);

        for (var i = 1; i < n; i++) Assert.True(values[i - 1] <= values[i]);
        var vtv = Dense.Multiply(vectors, n, n, true, vectors, n, n, false);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                Assert.Equal(i == j ? 1.0 : 0.0, vtv[i * n + j], 10);
        var scaled = new double[n * n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                scaled[r * n + c] = vectors[r * n + c] * values[c];
        var back = Dense.Multiply(scaled, n, n, false, vectors, n, n, true);
        var norm = a.Max(Math.Abs);
        for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(back[i] - a[i]) <= 1e-10 * norm, $"entry {i}");
    }

    [Fact]
    public void Known_eigenvalues_of_a_two_by_two()
    {
        var (values, _) = SymmetricEigen.Decompose(new double[] { 2, 1, 1, 2 }, 2);
        Assert.Equal(1, values[0], 12);
        Assert.Equal(3, values[1], 12);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[3], 2));
    }

    [Fact]
    public void Products_with_transposes_match_loops()
    {
        var random = new Random(9);
        var a = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray(); // 3 x 4
        var b = Enumerable.Range(0, 20).Select(_ => random.NextDouble()).ToArray(); // 5 x 4
        var c = Dense.Multiply(a, 3, 4, false, b, 5, 4, true); // 3 x 5
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 5; j++)
                Assert.Equal(Enumerable.Range(0, 4).Sum(k => a[i * 4 + k] * b[j * 4 + k]), c[i * 5 + j], 12);
        Assert.Throws<ArgumentException>(() => Dense.Multiply(a, 3, 4, false, b, 5, 4, false));
    }
}
