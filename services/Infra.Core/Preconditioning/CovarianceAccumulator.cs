using System.Numerics.Tensors;
using Infra.Core.Errors;

namespace Infra.Core.Preconditioning;

/// <summary>
/// <c>Σ_t x_t x_tᵀ</c> over streamed rows, accumulated in float64. Each block of rows is reduced in
/// fp32 SIMD dot products (block length ≤ <see cref="BlockRows"/>, so the fp32 partial sums stay short)
/// and then added into the float64 total.
/// </summary>
public sealed class CovarianceAccumulator(int dim)
{
    /// <summary>Rows reduced in fp32 before joining the float64 sum.</summary>
    public const int BlockRows = 1024;

    private readonly double[] _sum = new double[dim * dim];

    public int Dim => dim;

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <c>rows x dim</c> row-major values.</summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        if (rows.Length % dim != 0) throw DomainException.InvalidArgument($"{rows.Length} values are not whole rows of {dim}");
        var n = rows.Length / dim;
        var columns = new float[dim * Math.Min(n, BlockRows)];
        for (var start = 0; start < n; start += BlockRows)
        {
            var count = Math.Min(BlockRows, n - start);
            // Column-major copy of the block: each covariance entry is one contiguous dot product.
            for (var r = 0; r < count; r++)
                for (var c = 0; c < dim; c++)
                    columns[c * count + r] = rows[(start + r) * dim + c];
            for (var i = 0; i < dim; i++)
            {
                var ci = columns.AsSpan(i * count, count);
                for (var j = i; j < dim; j++)
                {
                    var dot = TensorPrimitives.Dot<float>(ci, columns.AsSpan(j * count, count));
                    _sum[i * dim + j] += dot;
                    if (j != i) _sum[j * dim + i] += dot;
                }
            }
        }
        Count += n;
    }

    /// <summary><c>E[x xᵀ]</c> = the sum divided by the row count.</summary>
    public double[] Mean()
    {
        if (Count == 0) throw DomainException.FailedPrecondition("no rows were accumulated");
        return _sum.Select(v => v / Count).ToArray();
    }
}
