using System.Runtime.InteropServices;
using Infra.Core.Compression;
using Infra.Core.Kernels;

namespace Infra.Core.Scoring;

/// <summary>
/// Adds one layer's <c>&lt;Q̃_m, Ĝ_n&gt;</c> into <c>scores[n * M + m]</c> for stored rows in their storage
/// dtype, with the SIMD kernels (bf16/fp16 decoded in registers, int8 with per-row scales).
/// </summary>
internal static class LayerScores
{
    public static void Add(ReadOnlySpan<byte> rows, FactorDType dtype, float[] scales, int n, int d, float[] queries, int m, double[] scores)
    {
        var layer = Compute(rows, dtype, scales, n, d, queries, m);
        for (var i = 0; i < layer.Length; i++) scores[i] += layer[i];
    }

    /// <summary>One layer's <c>&lt;Q̃_m, Ĝ_n&gt;</c> as fp32 <c>[n * M]</c>, for a caller that sums the layers itself.</summary>
    public static float[] Compute(ReadOnlySpan<byte> rows, FactorDType dtype, float[] scales, int n, int d, float[] queries, int m)
    {
        var layer = new float[n * m];
        switch (dtype)
        {
            case FactorDType.Float32:
                ScoreKernels.Score(MemoryMarshal.Cast<byte, float>(rows), n, d, queries, m, layer);
                break;
            case FactorDType.BFloat16:
                ScoreKernels.Score(MemoryMarshal.Cast<byte, ushort>(rows), n, d, queries, m, layer);
                break;
            case FactorDType.Float16:
                ScoreKernels.Score(MemoryMarshal.Cast<byte, Half>(rows), n, d, queries, m, layer);
                break;
            case FactorDType.Int8:
                // Widened to fp32 rather than the int16-query fast path: ranking must not depend on query quantisation.
                ScoreKernels.Score(MemoryMarshal.Cast<byte, sbyte>(rows), scales, n, d, queries, m, layer, Int8ScoreMode.Float32);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");
        }
        return layer;
    }
}
