namespace Infra.Core.Kernels;

/// <summary>
/// Example-level influence scores: <c>scores[n, j] = Σ_d rows[n, d] · queries[j, d]</c> for stored rows (fp32, bf16,
/// fp16 or int8 with per-row scales) against fp32 queries, all row-major; scores are <c>n x m</c> fp32.
/// One query (M = 1) runs a memory-bound dot kernel four rows at a time; two or more run a register-blocked GEMM
/// (12 rows x 32 queries of AVX-512 accumulators, k-blocks of 256) on fp32 rows or on rows decoded to fp32 tile by
/// tile. Large calls use every core. Sums are fp32: each score is within <c>(d + d/128 + 16) · 2^-24 · Σ_d |row · query|</c>
/// of the exact value (the tests check exactly this bound against a double-precision reference).
/// The pointer overloads are the core (memory-mapped stores beyond 2^31 elements); the span overloads wrap them.
/// The scores buffer must not overlap the inputs.
/// </summary>
public static unsafe class ScoreKernels
{
    /// <summary>Scores fp32 rows.</summary>
    /// <param name="rows">Row-major <c>n x d</c>.</param>
    /// <param name="n">Row count.</param>
    /// <param name="d">Row length.</param>
    /// <param name="queries">Row-major <c>m x d</c> fp32.</param>
    /// <param name="m">Query count.</param>
    /// <param name="scores">Row-major <c>n x m</c>, overwritten.</param>
    /// <exception cref="ArgumentException">A span's length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    public static void Score(ReadOnlySpan<float> rows, int n, int d, ReadOnlySpan<float> queries, int m, Span<float> scores) =>
        Score<Float32Decoder, float>(rows, default, n, d, queries, m, scores, KernelPath.Auto, Int8ScoreMode.Float32);

    /// <summary>Scores bfloat16 rows given as their 16-bit patterns (see <c>Quantizer.ToBFloat16</c>).</summary>
    /// <inheritdoc cref="Score(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, Span{float})"/>
    public static void Score(ReadOnlySpan<ushort> rows, int n, int d, ReadOnlySpan<float> queries, int m, Span<float> scores) =>
        Score<BFloat16Decoder, ushort>(rows, default, n, d, queries, m, scores, KernelPath.Auto, Int8ScoreMode.Float32);

    /// <summary>Scores IEEE fp16 rows (decoded exactly, subnormals, infinities and NaNs included).</summary>
    /// <inheritdoc cref="Score(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, Span{float})"/>
    public static void Score(ReadOnlySpan<Half> rows, int n, int d, ReadOnlySpan<float> queries, int m, Span<float> scores) =>
        Score<Float16Decoder, Half>(rows, default, n, d, queries, m, scores, KernelPath.Auto, Int8ScoreMode.Float32);

    /// <summary>Scores symmetric int8 rows, <c>value = q · rowScales[row]</c>.</summary>
    /// <param name="rows">Row-major <c>n x d</c> int8.</param>
    /// <param name="rowScales">One scale per row (<c>n</c>).</param>
    /// <param name="n">Row count.</param>
    /// <param name="d">Row length.</param>
    /// <param name="queries">Row-major <c>m x d</c> fp32.</param>
    /// <param name="m">Query count.</param>
    /// <param name="scores">Row-major <c>n x m</c>, overwritten.</param>
    /// <param name="mode">Single-query arithmetic; defaults to <see cref="Int8ScoreMode.Int16Query"/> (fastest).</param>
    /// <exception cref="ArgumentException">A span's length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    public static void Score(ReadOnlySpan<sbyte> rows, ReadOnlySpan<float> rowScales, int n, int d, ReadOnlySpan<float> queries, int m, Span<float> scores, Int8ScoreMode mode = Int8ScoreMode.Int16Query)
    {
        if (rowScales.Length != n)
            throw new ArgumentException($"{n} int8 rows need {n} row scales, got {rowScales.Length}", nameof(rowScales));
        Score<Int8Decoder, sbyte>(rows, rowScales, n, d, queries, m, scores, KernelPath.Auto, mode);
    }

    /// <summary>Scores fp32 rows in native or memory-mapped memory (any size).</summary>
    /// <param name="rows"><c>n x d</c> row-major.</param>
    /// <param name="n">Row count (may exceed <see cref="int.MaxValue"/>).</param>
    /// <param name="d">Row length.</param>
    /// <param name="queries"><c>m x d</c> row-major fp32.</param>
    /// <param name="m">Query count.</param>
    /// <param name="scores"><c>n x m</c> row-major, overwritten.</param>
    /// <exception cref="ArgumentNullException">A null pointer for a non-empty operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    public static void Score(float* rows, long n, int d, float* queries, int m, float* scores) =>
        Score<Float32Decoder, float>(rows, null, n, d, queries, m, scores, KernelPath.Auto, Int8ScoreMode.Float32);

    /// <summary>Scores bfloat16 rows (16-bit patterns) in native or memory-mapped memory.</summary>
    /// <inheritdoc cref="Score(float*, long, int, float*, int, float*)"/>
    public static void Score(ushort* rows, long n, int d, float* queries, int m, float* scores) =>
        Score<BFloat16Decoder, ushort>(rows, null, n, d, queries, m, scores, KernelPath.Auto, Int8ScoreMode.Float32);

    /// <summary>Scores fp16 rows in native or memory-mapped memory.</summary>
    /// <inheritdoc cref="Score(float*, long, int, float*, int, float*)"/>
    public static void Score(Half* rows, long n, int d, float* queries, int m, float* scores) =>
        Score<Float16Decoder, Half>(rows, null, n, d, queries, m, scores, KernelPath.Auto, Int8ScoreMode.Float32);

    /// <summary>Scores int8 rows with per-row scales (<c>n</c> floats) in native or memory-mapped memory.</summary>
    /// <param name="rows"><c>n x d</c> row-major int8.</param>
    /// <param name="rowScales">One scale per row.</param>
    /// <param name="n">Row count (may exceed <see cref="int.MaxValue"/>).</param>
    /// <param name="d">Row length.</param>
    /// <param name="queries"><c>m x d</c> row-major fp32.</param>
    /// <param name="m">Query count.</param>
    /// <param name="scores"><c>n x m</c> row-major, overwritten.</param>
    /// <param name="mode">Single-query arithmetic; defaults to <see cref="Int8ScoreMode.Int16Query"/>.</param>
    /// <exception cref="ArgumentNullException">A null pointer for a non-empty operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    public static void Score(sbyte* rows, float* rowScales, long n, int d, float* queries, int m, float* scores, Int8ScoreMode mode = Int8ScoreMode.Int16Query)
    {
        if (n > 0 && rowScales == null)
            throw new ArgumentNullException(nameof(rowScales));
        Score<Int8Decoder, sbyte>(rows, rowScales, n, d, queries, m, scores, KernelPath.Auto, mode);
    }

    /// <summary>The span entry every public span overload and the tests use; <paramref name="path"/> forces a kernel.</summary>
    internal static void Score<TDecoder, T>(ReadOnlySpan<T> rows, ReadOnlySpan<float> rowScales, int n, int d, ReadOnlySpan<float> queries, int m, Span<float> scores, KernelPath path, Int8ScoreMode mode)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        CheckShape(n, d, m);
        if (rows.Length != (long)n * d)
            throw new ArgumentException($"{n} rows of {d} need {(long)n * d} values, got {rows.Length}", nameof(rows));
        if (queries.Length != (long)m * d)
            throw new ArgumentException($"{m} queries of {d} need {(long)m * d} values, got {queries.Length}", nameof(queries));
        if (scores.Length != (long)n * m)
            throw new ArgumentException($"{n} rows x {m} queries need {(long)n * m} scores, got {scores.Length}", nameof(scores));
        if (typeof(T) == typeof(sbyte) && rowScales.Length != n)
            throw new ArgumentException($"{n} int8 rows need {n} row scales, got {rowScales.Length}", nameof(rowScales));
        fixed (T* r = rows)
        fixed (float* s = rowScales)
        fixed (float* q = queries)
        fixed (float* o = scores)
        {
            Run<TDecoder, T>(r, typeof(T) == typeof(sbyte) ? s : null, n, d, q, m, o, path, mode);
        }
    }

    /// <summary>The pointer entry; <paramref name="path"/> forces a kernel.</summary>
    internal static void Score<TDecoder, T>(T* rows, float* rowScales, long n, int d, float* queries, int m, float* scores, KernelPath path, Int8ScoreMode mode)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        CheckShape(n, d, m);
        if (n > 0 && d > 0 && rows == null)
            throw new ArgumentNullException(nameof(rows));
        if (m > 0 && d > 0 && queries == null)
            throw new ArgumentNullException(nameof(queries));
        if (n > 0 && m > 0 && scores == null)
            throw new ArgumentNullException(nameof(scores));
        Run<TDecoder, T>(rows, rowScales, n, d, queries, m, scores, path, mode);
    }

    private static void CheckShape(long n, int d, int m)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
    }

    private static void Run<TDecoder, T>(T* rows, float* rowScales, long n, int d, float* queries, int m, float* scores, KernelPath path, Int8ScoreMode mode)
        where TDecoder : struct, IRowDecoder<T>
        where T : unmanaged
    {
        using var job = new ScoreJob<TDecoder, T>(rows, rowScales, n, d, queries, m, scores, path, mode);
        job.Run();
    }
}
