using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Infra.Core.Kernels;

/// <summary>
/// One <c>scores = rows · queriesᵀ</c> call: picks the kernel (single-query dot, int16-query dot, GEMM or scalar),
/// owns the per-call state (packed queries, int16 query) and splits the rows into chunks over all cores.
/// </summary>
/// <typeparam name="TDecoder">Decodes <typeparamref name="T"/> to fp32 in registers.</typeparam>
/// <typeparam name="T">The stored element type.</typeparam>
internal sealed unsafe class ScoreJob<TDecoder, T> : IDisposable
    where TDecoder : struct, IRowDecoder<T>
    where T : unmanaged
{
    /// <summary>k-block of the GEMM: a 12 x 256 fp32 row tile is 12 KB, one 32-wide query panel 32 KB.</summary>
    internal const int KBlock = GemmMicroKernels.PackedStride;

    /// <summary>Fewest rows per GEMM macro-block (a multiple of both tile heights, 12 and 6).</summary>
    internal const int MacroRows = 120;

    /// <summary>Bytes of scores a macro-block aims for: with one k-block of panels (M KB) it stays in a 1-2 MB L2.</summary>
    internal const int MacroScoreBytes = 256 << 10;

    /// <summary>Below this many multiply-adds one thread beats waking the thread pool.</summary>
    internal const long ParallelThreshold = 1L << 22;

    private readonly T* rows;
    private readonly float* rowScales;
    private readonly long n;
    private readonly int d;
    private readonly float* queries;
    private readonly int m;
    private readonly float* scores;
    private readonly KernelPath path;
    private readonly PackedQueries? packed;
    private readonly long macroRows;
    private readonly int kStep;
    private readonly short* query16;
    private readonly float query16Scale;

    /// <summary>Prepares a call; arguments were checked by <see cref="ScoreKernels"/>.</summary>
    public ScoreJob(T* rows, float* rowScales, long n, int d, float* queries, int m, float* scores, KernelPath path, Int8ScoreMode int8Mode)
    {
        this.rows = rows;
        this.rowScales = rowScales;
        this.n = n;
        this.d = d;
        this.queries = queries;
        this.m = m;
        this.scores = scores;
        this.path = KernelPaths.Resolve(path);
        // Every macro-block streams all d x M query panels through L2 once (2 MB at M = 128, d = 4096), so taller
        // blocks for wide M cut that traffic; 120-480 rows (the packed k-block of 480 rows is 480 KB).
        macroRows = Math.Clamp(MacroScoreBytes / Math.Max(1, m * sizeof(float)) / MacroRows, 1, 4) * MacroRows;
        kStep = KStep(CacheGeometry.L1DataBytes);
        if (m >= 2 && this.path != KernelPath.Scalar)
            packed = new PackedQueries(queries, m, d, this.path == KernelPath.Vector512 ? 32 : 16);
        if (m == 1 && typeof(T) == typeof(sbyte) && int8Mode == Int8ScoreMode.Int16Query)
        {
            query16 = (short*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, d) * sizeof(short), 64);
            query16Scale = Int16Query.Quantize(new ReadOnlySpan<float>(queries, d), new Span<short>(query16, d));
            if (float.IsNaN(query16Scale))
            {
                // A non-finite query: let the fp32 path propagate inf/NaN the IEEE way.
                NativeMemory.AlignedFree(query16);
                query16 = null;
            }
        }
    }

    /// <summary>Computes every score, on all cores when the call is large enough.</summary>
    public void Run()
    {
        if (n == 0 || m == 0)
            return;
        var work = n * d * (long)m;
        var threads = Environment.ProcessorCount;
        if (work < ParallelThreshold || threads == 1)
        {
            RunRows(0, n);
            return;
        }
        // The dot kernels: eight chunks per core balance the load, each a whole number of 4-row groups and at least
        // ~1M multiply-adds, so per-task cost is noise. The GEMM: one macro-block per chunk (already ~60M multiply-adds
        // at d = 4096, M = 32): chunks of eight per core ended on a partial macro-block each, and their few large
        // chunks left a core idle at the end; one block each ran M = 128 ~5% faster on 2 Zen 4 cores (0.83 of the FMA peak).
        long chunkRows;
        var minRows = Math.Max(1, (1L << 20) / Math.Max(1L, (long)d * m));
        if (packed is not null)
        {
            chunkRows = Math.Max(macroRows, (minRows + macroRows - 1) / macroRows * macroRows);
        }
        else
        {
            const long granule = 4;
            chunkRows = Math.Max(minRows, (n + threads * 8 - 1) / (threads * 8));
            chunkRows = (chunkRows + granule - 1) / granule * granule;
        }
        var chunks = (n + chunkRows - 1) / chunkRows;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => RunRows(c * chunkRows, Math.Min(chunkRows, n - c * chunkRows)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        packed?.Dispose();
        if (query16 != null)
            NativeMemory.AlignedFree(query16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunRows(long start, long count)
    {
        var first = rows + start * d;
        var scale = 1f;
        if (d == 0)
        {
            NativeMemory.Clear(scores + start * m, (nuint)(count * m) * sizeof(float));
            return;
        }
        if (query16 != null)
        {
            Int8QuantizedDotKernel.Run((sbyte*)first, count, d, query16, scores + start, path);
            scale = query16Scale;
        }
        else if (m == 1)
        {
            RowDotKernel.Run<TDecoder, T>(first, count, d, queries, scores + start, path);
        }
        else if (packed is null)
        {
            for (long i = 0; i < count; i++)
                for (var j = 0; j < m; j++)
                    RowDotKernel.Run<TDecoder, T>(first + i * d, 1, d, queries + (long)j * d, scores + (start + i) * m + j, KernelPath.Scalar);
        }
        else
        {
            Gemm(start, count, packed);
        }
        if (rowScales != null)
        {
            for (long i = 0; i < count; i++)
            {
                var s = rowScales[start + i] * scale;
                var row = scores + (start + i) * m;
                for (var j = 0; j < m; j++)
                    row[j] *= s;
            }
        }
    }

    /// <summary>
    /// The GEMM's k-block for an L1 of <paramref name="l1DataBytes"/>: a 32-wide query panel (128 bytes per k) takes at
    /// most half of L1, so the 12-row tile and the C tile stream past it without evicting it: 128 on a 32 KiB L1 (Zen 4;
    /// 256 there filled all of L1 with the panel), 192 on 48 KiB (Sapphire Rapids), never more than the packed stride.
    /// </summary>
    internal static int KStep(int l1DataBytes) => Math.Clamp(l1DataBytes / 2 / (32 * sizeof(float)) / 16 * 16, 64, KBlock);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Gemm(long start, long count, PackedQueries panels)
    {
        var tileRows = path == KernelPath.Vector512 ? 12 : 6;
        // The macro-block's rows for one k-block, packed tile after tile (tile at t rows starts at t * KBlock).
        var packedRows = (Math.Min(macroRows, count) + tileRows - 1) / tileRows * tileRows;
        // Up to 480 KB per chunk: rented, since a fresh allocation of that size is a fresh mapping whose page faults
        // cost a measurable share of a small chunk.
        var rented = ArrayPool<float>.Shared.Rent((int)(packedRows * KBlock));
        var tile = stackalloc float[12 * 32];
        try
        {
            fixed (float* buffer = rented)
            {
                NativeMemory.Clear(scores + start * m, (nuint)(count * m) * sizeof(float));
                for (long block = 0; block < count; block += macroRows)
                {
                    var blockRows = Math.Min(macroRows, count - block);
                    for (var k0 = 0; k0 < d; k0 += kStep)
                    {
                        var kc = Math.Min(kStep, d - k0);
                        // Panels outermost: one panel (kc x 32, 16-32 KB) stays in L1 while the packed tiles (12 KB each)
                        // stream from L2 past it; the other order streamed every panel from L2 for every tile. The first
                        // panel's pass packs each tile just before using it, so that pass (the only one at M <= 32)
                        // reads it hot from L1.
                        for (var p = 0; p < panels.Count; p++)
                        {
                            int width = panels.Width(p), col = panels.Start(p), nc = Math.Min(width, m - col);
                            var b = panels.Panel(p) + (long)k0 * width;
                            for (long t = 0; t < blockRows; t += tileRows)
                            {
                                var mr = (int)Math.Min(tileRows, blockRows - t);
                                var a = buffer + t * KBlock;
                                if (p == 0)
                                {
                                    PackTile(rows + (start + block + t) * d + k0, mr, tileRows, kc, a);
                                    PrefetchNextSlice(start + block, blockRows, t, mr, k0);
                                }
                                var c = scores + (start + block + t) * m + col;
                                if (path == KernelPath.Vector256)
                                    GemmMicroKernels.Kernel6x16(a, mr, b, kc, c, m, nc, tile);
                                else if (width == 32)
                                    GemmMicroKernels.Kernel12x32(a, mr, b, kc, c, m, nc, tile);
                                else
                                    GemmMicroKernels.Kernel12x16(a, mr, b, kc, c, m, nc, tile);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    // Rows become a packed fp32 tile (tileRows x kc, stride KBlock; rows past mr zeroed, so the kernels' spare rows
    // compute harmless zeros) once per k-block, then every panel reuses it. bf16/fp16/int8 are decoded here.
    private void PackTile(T* src, int mr, int tileRows, int kc, float* dst)
    {
        for (var r = 0; r < mr; r++)
        {
            T* s = src + (long)r * d;
            var o = dst + r * KBlock;
            if (typeof(T) == typeof(float))
            {
                Buffer.MemoryCopy(s, o, kc * sizeof(float), kc * sizeof(float));
                continue;
            }
            var k = 0;
            if (path == KernelPath.Vector512)
            {
                for (; k <= kc - 16; k += 16)
                    TDecoder.Load16(s + k).Store(o + k);
            }
            else
            {
                for (; k <= kc - 8; k += 8)
                    TDecoder.Load8(s + k).Store(o + k);
            }
            for (; k < kc; k++)
                o[k] = TDecoder.Load1(s + k);
        }
        for (var r = mr; r < tileRows; r++)
            NativeMemory.Clear(dst + r * KBlock, (nuint)kc * sizeof(float));
    }

    // The rows packed next are segments of one k-block each, 4 * d bytes apart: too short for the hardware
    // prefetcher to lock onto, so each would arrive at full memory latency when packed. While the first panel runs
    // over tile t, the same rows' next k-block (or, after the last, the next macro-block's first k-block) is fetched
    // into L2, spread over the compute instead of stalled on at packing time.
    private void PrefetchNextSlice(long blockStart, long blockRows, long t, int mr, int k0)
    {
        if (!Sse.IsSupported)
            return;
        long first = blockStart + t;
        k0 += kStep;
        if (k0 >= d)
        {
            k0 = 0;
            first += blockRows;
        }
        var rowsAhead = (int)Math.Min(mr, n - first);
        var bytes = Math.Min(kStep, d - k0) * sizeof(T);
        for (var r = 0; r < rowsAhead; r++)
        {
            var p = (byte*)(rows + (first + r) * d + k0);
            for (var offset = 0; offset < bytes; offset += 64)
                Sse.Prefetch1(p + offset);
        }
    }
}
