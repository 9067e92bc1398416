using Infra.Core.Compression;
using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

/// <summary>
/// The int16-query fast path for int8 rows. Its documented bound against the exact int8 score:
/// <c>0.5 · queryScale · rowScale · Σ|q8|</c> (query quantisation) plus fp32 rounding of the integer partial sums,
/// <c>(d/128 + 16) · 2^-24 · Σ|row · query|</c>.
/// </summary>
public sealed class Int8QuantizedQueryTests
{
    private const double Unit = 1.0 / (1 << 24);

    public static TheoryData<string> Paths => KernelPathData.Paths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_length_0_to_256_and_long_rows_are_within_the_quantisation_bound(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        foreach (var d in Enumerable.Range(0, 257).Concat([1000, 4095, 4096, 4097, 9000, 20_000]))
            Check(path, n: 9, d, seed: d);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Extreme_values_over_65536_elements_do_not_overflow_the_integer_sums(string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        const int n = 5, d = 65536;
        var rows = new sbyte[n * d];
        Array.Fill(rows, (sbyte)127);
        rows.AsSpan(d, d).Fill(-127);
        var scales = Enumerable.Repeat(1f, n).ToArray();
        var query = Enumerable.Repeat(-3.5f, d).ToArray();
        var scores = new float[n];
        ScoreKernels.Score<Int8Decoder, sbyte>(rows, scales, n, d, query, 1, scores, path, Int8ScoreMode.Int16Query);
        var exact = 127.0 * -3.5 * d;
        Assert.True(Math.Abs(scores[0] - exact) <= Math.Abs(exact) * 1e-6, $"{scores[0]} vs {exact}");
        Assert.True(Math.Abs(scores[1] + exact) <= Math.Abs(exact) * 1e-6, $"{scores[1]} vs {-exact}");
    }

    [Fact]
    public void A_zero_query_scores_zero_and_a_non_finite_query_falls_back_to_fp32()
    {
        var rows = new sbyte[] { 1, 2, 3, 4 };
        var scores = new float[2];
        ScoreKernels.Score(rows, [1f, 1f], 2, 2, [0f, 0f], 1, scores);
        Assert.Equal([0f, 0f], scores);
        ScoreKernels.Score(rows, [1f, 1f], 2, 2, [float.PositiveInfinity, 0f], 1, scores);
        Assert.Equal(float.PositiveInfinity, scores[0]);
    }

    private static void Check(KernelPath path, int n, int d, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var query = Enumerable.Range(0, d).Select(_ => (float)((random.NextDouble() * 2 - 1) * 0.01)).ToArray();
        var block = Quantizer.Encode(values, n, d, FactorDType.Int8);
        var rows = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(block.Data.AsSpan()).ToArray();
        var scores = new float[n];
        ScoreKernels.Score<Int8Decoder, sbyte>(rows, block.RowScales, n, d, query, 1, scores, path, Int8ScoreMode.Int16Query);
        var exact = ScalarReference.Scores(rows, block.RowScales, n, d, query, 1);
        var queryScale = query.Length == 0 ? 0 : query.Max(MathF.Abs) / 32767.0;
        for (var i = 0; i < n; i++)
        {
            double sumQ8 = 0, magnitude = 0;
            for (var k = 0; k < d; k++)
            {
                sumQ8 += Math.Abs(rows[i * d + k]);
                magnitude += Math.Abs(rows[i * d + k] * (double)query[k]);
            }
            sumQ8 *= block.RowScales[i];
            magnitude *= block.RowScales[i];
            var bound = 0.5 * queryScale * sumQ8 * (1 + 1e-6) + (d / 128 + 16) * Unit * (magnitude + queryScale * sumQ8) + 1e-30;
            var error = Math.Abs(scores[i] - exact[i]);
            Assert.True(error <= bound, $"{path} d={d} row {i}: {scores[i]} vs {exact[i]} (error {error:G3} > {bound:G3})");
        }
    }
}
