using Infra.Core.Compression;
using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

public sealed class ScoreKernelsTests
{
    public static TheoryData<FactorDType, string> DTypesAndPaths => KernelPathData.DTypesAndPaths();

    [Theory]
    [MemberData(nameof(DTypesAndPaths))]
    public void Every_row_length_0_to_256_is_within_the_fp32_bound_for_one_query_and_for_the_gemm(FactorDType dtype, string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        // n = 13 crosses the 4-row dot groups and the 12-row GEMM tiles; m = 5 is a padded 16-wide panel,
        // m = 33 a full 32-wide panel plus a 16-wide tail.
        foreach (var m in new[] { 1, 5, 33 })
            for (var d = 0; d <= 256; d++)
                new ScoreCase(dtype, 13, d, m, seed: d * 7 + m).AssertWithinFp32Bound(path);
    }

    [Theory]
    [MemberData(nameof(DTypesAndPaths))]
    public void Odd_shapes_are_within_the_fp32_bound(FactorDType dtype, string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        (int N, int D, int M)[] shapes =
        [
            (0, 5, 3), (5, 0, 3), (5, 3, 0), (1, 1, 1), (3, 1000, 1), (11, 7, 2), (12, 16, 16), (13, 31, 17),
            (25, 257, 32), (121, 300, 33), (37, 513, 64), (7, 1000, 100), (130, 600, 48),
        ];
        foreach (var (n, d, m) in shapes)
            new ScoreCase(dtype, n, d, m, seed: n + d + m).AssertWithinFp32Bound(path);
    }

    [Theory]
    [MemberData(nameof(DTypesAndPaths))]
    public void Calls_large_enough_to_run_on_all_cores_match_the_reference(FactorDType dtype, string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        // Above the parallel threshold: chunk boundaries must neither drop nor repeat rows.
        new ScoreCase(dtype, 20_011, 212, 1, seed: 3).AssertWithinFp32Bound(path);
        if (path != KernelPath.Scalar)
            new ScoreCase(dtype, 1_501, 300, 40, seed: 4).AssertWithinFp32Bound(path);
    }

    [Theory]
    [MemberData(nameof(DTypesAndPaths))]
    public void A_row_scores_the_same_bits_wherever_its_tile_and_chunk_boundaries_fall(FactorDType dtype, string pathName)
    {
        // A sharded store scores each shard's rows on their own, so a row sits at another position of its 12- (or
        // 6-) row tile, in a full or a partial one, than in one store: its score must not depend on that (the
        // sharded and single-node score dumps are compared bit for bit).
        var path = KernelPathData.Parse(pathName);
        foreach (var m in new[] { 5, 33 })
        {
            var store = new ScoreCase(dtype, 61, 300, m, seed: 17 + m);
            var whole = store.Run(path);
            foreach (var (first, count) in new[] { (1, 60), (5, 13), (7, 54), (12, 49), (13, 1), (25, 36), (60, 1) })
            {
                var part = store.Run(path, first, count);
                for (var i = 0; i < part.Length; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(part[i]) == BitConverter.SingleToInt32Bits(whole[first * m + i]),
                        $"{dtype} {path} m={m} rows [{first}, {first + count}): row {first + i / m} query {i % m}: {part[i]} alone vs {whole[first * m + i]} in the whole store");
                }
            }
        }
    }

    [Fact]
    public void Public_span_and_pointer_overloads_agree_with_the_reference()
    {
        const int n = 50, d = 70, m = 3;
        var random = new Random(5);
        var rows = Enumerable.Range(0, n * d).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var queries = Enumerable.Range(0, m * d).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var reference = ScalarReference.Scores(rows, n, d, queries, m);
        var bf16 = Quantizer.Encode(rows, n, d, FactorDType.BFloat16).Data;
        var fp16 = Quantizer.Encode(rows, n, d, FactorDType.Float16).Data;
        var int8 = Quantizer.Encode(rows, n, d, FactorDType.Int8);
        var results = new List<(string Name, float[] Scores, double Tolerance)>();

        var s = new float[n * m];
        ScoreKernels.Score(rows, n, d, queries, m, s);
        results.Add(("fp32 span", s, 1e-5));
        s = new float[n * m];
        ScoreKernels.Score(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bf16), n, d, queries, m, s);
        results.Add(("bf16 span", s, 0.05));
        s = new float[n * m];
        ScoreKernels.Score(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(fp16), n, d, queries, m, s);
        results.Add(("fp16 span", s, 0.01));
        s = new float[n * m];
        ScoreKernels.Score(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(int8.Data), int8.RowScales, n, d, queries, m, s);
        results.Add(("int8 span", s, 0.05));
        unsafe
        {
            fixed (float* r = rows)
            fixed (float* q = queries)
            fixed (byte* b = bf16)
            fixed (byte* h = fp16)
            fixed (byte* i8 = int8.Data)
            fixed (float* scales = int8.RowScales)
            {
                var p = new float[n * m];
                fixed (float* o = p) ScoreKernels.Score(r, n, d, q, m, o);
                results.Add(("fp32 pointer", p, 1e-5));
                p = new float[n * m];
                fixed (float* o = p) ScoreKernels.Score((ushort*)b, n, d, q, m, o);
                results.Add(("bf16 pointer", p, 0.05));
                p = new float[n * m];
                fixed (float* o = p) ScoreKernels.Score((Half*)h, n, d, q, m, o);
                results.Add(("fp16 pointer", p, 0.01));
                p = new float[n * m];
                fixed (float* o = p) ScoreKernels.Score((sbyte*)i8, scales, n, d, q, m, o);
                results.Add(("int8 pointer", p, 0.05));
            }
        }
        // Loose, dtype-sized tolerances: this test is about the overloads' wiring; precision is tested above.
        foreach (var (name, scores, tolerance) in results)
            for (var i = 0; i < scores.Length; i++)
                Assert.True(Math.Abs(scores[i] - reference[i]) <= tolerance, $"{name}[{i}]: {scores[i]} vs {reference[i]}");
    }

    [Fact]
    public void Mismatched_lengths_and_negative_dimensions_are_rejected_before_any_work()
    {
        float[] rows = new float[6], queries = new float[6], scores = new float[4];
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(rows.AsSpan(0, 5), 2, 3, queries, 2, scores));
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(rows, 2, 3, queries.AsSpan(0, 3), 2, scores));
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(rows, 2, 3, queries, 2, scores.AsSpan(0, 3)));
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(new ushort[7], 2, 3, queries, 2, scores));
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(new Half[6], 2, 3, queries, 2, new float[5]));
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(new sbyte[6], new float[1], 2, 3, queries, 2, scores));
        Assert.Throws<ArgumentException>(() => ScoreKernels.Score(new sbyte[6], new float[2], 2, 3, queries, 1, scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreKernels.Score(rows, -2, -3, queries, 2, scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreKernels.Score(rows, 2, 3, queries, -2, scores));
        unsafe
        {
            fixed (float* q = queries)
            fixed (float* o = scores)
            {
                // Lambdas cannot capture fixed locals: carry the addresses as integers.
                nint qa = (nint)q, oa = (nint)o;
                var e = Assert.Throws<ArgumentNullException>(() => ScoreKernels.Score((float*)null, 2, 3, (float*)qa, 2, (float*)oa));
                Assert.Equal("rows", e.ParamName);
                e = Assert.Throws<ArgumentNullException>(() => ScoreKernels.Score((sbyte*)qa, null, 2, 3, (float*)qa, 2, (float*)oa));
                Assert.Equal("rowScales", e.ParamName);
                e = Assert.Throws<ArgumentNullException>(() => ScoreKernels.Score((ushort*)qa, 2, 3, (float*)qa, 2, null));
                Assert.Equal("scores", e.ParamName);
                Assert.Throws<ArgumentOutOfRangeException>(() => ScoreKernels.Score((Half*)qa, -1L, 3, (float*)qa, 2, (float*)oa));
            }
        }
    }

    [Fact]
    public void A_zero_length_row_scores_zero_over_stale_output()
    {
        var scores = new[] { 1f, 2f, 3f, 4f };
        ScoreKernels.Score(ReadOnlySpan<float>.Empty, 2, 0, ReadOnlySpan<float>.Empty, 2, scores);
        Assert.All(scores, s => Assert.Equal(0f, s));
    }

    [Theory]
    [MemberData(nameof(DTypesAndPaths))]
    public void Infinities_and_nans_in_rows_propagate(FactorDType dtype, string pathName)
    {
        var path = KernelPathData.Parse(pathName);
        if (dtype == FactorDType.Int8)
            return; // int8 has no non-finite values
        const int d = 40;
        var row = Enumerable.Repeat(1f, 3 * d).ToArray();
        row[5] = float.PositiveInfinity;
        row[d + 33] = float.NaN;
        var block = Quantizer.Encode(row, 3, d, dtype);
        var scores = new float[3];
        var query = Enumerable.Repeat(1f, d).ToArray();
        if (dtype == FactorDType.Float32)
            ScoreKernels.Score<Float32Decoder, float>(row, default, 3, d, query, 1, scores, path, Int8ScoreMode.Float32);
        else if (dtype == FactorDType.BFloat16)
            ScoreKernels.Score<BFloat16Decoder, ushort>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(block.Data.AsSpan()), default, 3, d, query, 1, scores, path, Int8ScoreMode.Float32);
        else
            ScoreKernels.Score<Float16Decoder, Half>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(block.Data.AsSpan()), default, 3, d, query, 1, scores, path, Int8ScoreMode.Float32);
        Assert.Equal(float.PositiveInfinity, scores[0]);
        Assert.True(float.IsNaN(scores[1]));
        Assert.Equal(d, scores[2]);
    }
}
