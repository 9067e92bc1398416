using Infra.Core.Compression;

namespace Infra.Core.Kernels;

/// <summary>
/// Plain loops in double precision: the reference the SIMD kernels are tested against. Every stored element is
/// decoded exactly (bf16, fp16 and int8 are all exact in fp32), so the only error left is the kernels' fp32 rounding.
/// </summary>
internal static class ScalarReference
{
    /// <summary><c>Σ_d rows[n, d] · queries[j, d]</c>, row-major <c>n x m</c>.</summary>
    public static double[] Scores(ReadOnlySpan<float> rows, int n, int d, ReadOnlySpan<float> queries, int m) =>
        Dots(rows, n, d, queries, m, absolute: false);

    /// <summary><c>Σ_d |rows[n, d] · queries[j, d]|</c>: the scale of each score's rounding error bound.</summary>
    public static double[] Magnitudes(ReadOnlySpan<float> rows, int n, int d, ReadOnlySpan<float> queries, int m) =>
        Dots(rows, n, d, queries, m, absolute: true);

    /// <summary>bfloat16 bit patterns to fp32 (exact).</summary>
    public static float[] Decode(ReadOnlySpan<ushort> bfloat16)
    {
        var values = new float[bfloat16.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = Quantizer.FromBFloat16(bfloat16[i]);
        return values;
    }

    /// <summary>fp16 to fp32 (exact).</summary>
    public static float[] Decode(ReadOnlySpan<Half> float16)
    {
        var values = new float[float16.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)float16[i];
        return values;
    }

    /// <summary>int8 rows times their row scales, <c>n x d</c> (each value one fp32 rounding of <c>q · scale</c>; the
    /// int8 kernels scale the finished sum instead, so compare them with <see cref="Scores(ReadOnlySpan{sbyte}, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int)"/>).</summary>
    public static float[] Decode(ReadOnlySpan<sbyte> int8, ReadOnlySpan<float> rowScales, int d)
    {
        var values = new float[int8.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = int8[i] * rowScales[i / d];
        return values;
    }

    /// <summary>Exact int8 scores: <c>rowScales[n] · Σ_d q[n, d] · queries[j, d]</c>, in double.</summary>
    public static double[] Scores(ReadOnlySpan<sbyte> rows, ReadOnlySpan<float> rowScales, int n, int d, ReadOnlySpan<float> queries, int m)
    {
        var scores = new double[(long)n * m];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
            {
                double sum = 0;
                for (var k = 0; k < d; k++)
                    sum += (double)rows[i * d + k] * queries[j * d + k];
                scores[(long)i * m + j] = sum * rowScales[i];
            }
        return scores;
    }

    /// <summary>Token-level scores <c>s[t, j] = g_tᵀ Q_j a_t</c>, row-major <c>t x m</c> (see <see cref="TokenScoreKernels"/>).</summary>
    public static double[] TokenScores(ReadOnlySpan<float> a, ReadOnlySpan<float> g, int t, int kIn, int kOut, ReadOnlySpan<float> queries, int m)
    {
        var scores = new double[(long)t * m];
        for (var token = 0; token < t; token++)
            for (var j = 0; j < m; j++)
            {
                double sum = 0;
                for (var o = 0; o < kOut; o++)
                {
                    double inner = 0;
                    for (var i = 0; i < kIn; i++)
                        inner += (double)queries[(j * kOut + o) * kIn + i] * a[token * kIn + i];
                    sum += g[token * kOut + o] * inner;
                }
                scores[(long)token * m + j] = sum;
            }
        return scores;
    }

    private static double[] Dots(ReadOnlySpan<float> rows, int n, int d, ReadOnlySpan<float> queries, int m, bool absolute)
    {
        var scores = new double[(long)n * m];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
            {
                double sum = 0;
                for (var k = 0; k < d; k++)
                {
                    var p = (double)rows[i * d + k] * queries[j * d + k];
                    sum += absolute ? Math.Abs(p) : p;
                }
                scores[(long)i * m + j] = sum;
            }
        return scores;
    }
}
