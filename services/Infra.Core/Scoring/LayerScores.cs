using System.Numerics.Tensors;
using Infra.Core.Compression;

namespace Infra.Core.Scoring;

/// <summary>
/// Adds one layer's <c>&lt;Q̃_m, Ĝ_n&gt;</c> into <c>scores[n * M + m]</c> for stored rows in any dtype
/// (decoded a block at a time to fp32, then SIMD dot products).
/// </summary>
internal static class LayerScores
{
    private const int BlockRows = 64;

    public static void Add(ReadOnlySpan<byte> rows, FactorDType dtype, float[] scales, int n, int d, float[] queries, int m, double[] scores)
    {
        var size = Quantizer.ElementSize(dtype);
        for (var start = 0; start < n; start += BlockRows)
        {
            var count = Math.Min(BlockRows, n - start);
            var block = new QuantizedBlock(count, d, dtype, rows.Slice(start * d * size, count * d * size).ToArray(),
                dtype == FactorDType.Int8 ? scales.AsSpan(start, count).ToArray() : []);
            var decoded = Quantizer.Decode(block);
            for (var r = 0; r < count; r++)
            {
                var row = decoded.AsSpan(r * d, d);
                for (var q = 0; q < m; q++)
                    scores[(start + r) * m + q] += TensorPrimitives.Dot<float>(row, queries.AsSpan(q * d, d));
            }
        }
    }
}
