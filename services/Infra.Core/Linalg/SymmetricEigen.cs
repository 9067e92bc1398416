namespace Infra.Core.Linalg;

/// <summary>
/// Eigendecomposition of a real symmetric matrix by cyclic Jacobi rotations, in float64:
/// <c>A = V diag(w) Vᵀ</c>, eigenvalues ascending, eigenvectors in the columns of V. Accurate to
/// machine precision and dependency-free; O(n³) per sweep, fine for the projected dims (k ≤ ~512)
/// the scoring side works in.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Decomposes the row-major <c>n x n</c> matrix <paramref name="a"/> (only symmetry is assumed; the input is not modified).</summary>
    /// <returns>Eigenvalues (ascending) and eigenvectors (row-major <c>n x n</c>, column j belongs to value j).</returns>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> a, int n)
    {
        if (a.Length != (long)n * n) throw new ArgumentException($"expected {n} x {n} = {(long)n * n} values, got {a.Length}");
        var m = a.ToArray();
        var v = new double[n * n];
        for (var i = 0; i < n; i++) v[i * n + i] = 1;
        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                {
                    var x = m[i * n + j] * m[i * n + j];
                    total += x;
                    if (i != j) off += x;
                }
            if (off <= 1e-30 * Math.Max(total, double.Epsilon)) break;
            for (var p = 0; p < n - 1; p++)
                for (var q = p + 1; q < n; q++)
                    Rotate(m, v, n, p, q);
        }
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = m[i * n + i];
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var sortedVectors = new double[n * n];
        for (var c = 0; c < n; c++)
            for (var r = 0; r < n; r++)
                sortedVectors[r * n + c] = v[r * n + order[c]];
        return (order.Select(i => values[i]).ToArray(), sortedVectors);
    }

    // One Jacobi rotation zeroing m[p, q] (Golub & Van Loan, Algorithm 8.5.2).
    private static void Rotate(double[] m, double[] v, int n, int p, int q)
    {
        var apq = m[p * n + q];
        if (apq == 0) return;
        var theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        var c = 1 / Math.Sqrt(t * t + 1);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var mkp = m[k * n + p];
            var mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
        }
        for (var k = 0; k < n; k++)
        {
            var mpk = m[p * n + k];
            var mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
        }
        for (var k = 0; k < n; k++)
        {
            var vkp = v[k * n + p];
            var vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
