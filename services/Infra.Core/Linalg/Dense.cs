using System.Numerics.Tensors;

namespace Infra.Core.Linalg;

/// <summary>Small dense products in float64 (preconditioner maths on <c>k x k</c> matrices, row-major).</summary>
public static class Dense
{
    /// <summary><c>C = op(A) op(B)</c> where op transposes when asked; A is <c>rowsA x colsA</c> as stored.</summary>
    public static double[] Multiply(ReadOnlySpan<double> a, int rowsA, int colsA, bool transposeA,
        ReadOnlySpan<double> b, int rowsB, int colsB, bool transposeB)
    {
        var (m, k) = transposeA ? (colsA, rowsA) : (rowsA, colsA);
        var (k2, n) = transposeB ? (colsB, rowsB) : (rowsB, colsB);
        if (k != k2) throw new ArgumentException($"inner dims differ: {k} vs {k2}");
        // Materialise op(B) row-major so the inner loop is a contiguous axpy.
        var bt = transposeB ? Transpose(b, rowsB, colsB) : b.ToArray();
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            var row = c.AsSpan(i * n, n);
            for (var p = 0; p < k; p++)
            {
                var aip = transposeA ? a[p * colsA + i] : a[i * colsA + p];
                if (aip != 0) TensorPrimitives.MultiplyAdd(bt.AsSpan(p * n, n), aip, row, row);
            }
        }
        return c;
    }

    /// <summary>The transpose of a row-major <c>rows x cols</c> matrix.</summary>
    public static double[] Transpose(ReadOnlySpan<double> a, int rows, int cols)
    {
        var t = new double[a.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                t[c * rows + r] = a[r * cols + c];
        return t;
    }

    /// <summary><c>Uᵀ X V</c> for <c>X [rows x cols]</c>, <c>U [rows x rows]</c>, <c>V [cols x cols]</c>: rotation into eigenbases.</summary>
    public static double[] Rotate(ReadOnlySpan<double> u, ReadOnlySpan<double> x, ReadOnlySpan<double> v, int rows, int cols) =>
        Multiply(Multiply(u, rows, rows, true, x, rows, cols, false), rows, cols, false, v, cols, cols, false);

    /// <summary><c>U X Vᵀ</c>: rotation back from eigenbases.</summary>
    public static double[] RotateBack(ReadOnlySpan<double> u, ReadOnlySpan<double> x, ReadOnlySpan<double> v, int rows, int cols) =>
        Multiply(Multiply(u, rows, rows, false, x, rows, cols, false), rows, cols, false, v, cols, cols, true);
}
