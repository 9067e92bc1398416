using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Infra.Core.Kernels;

namespace Infra.Bench.Scoring;

/// <summary>
/// M = 1 bf16 scoring of a memory-mapped store larger than half the RAM (opt-in: --big). The file is mapped one
/// window (1 GiB) at a time and each view is unmapped after scoring, so resident memory stays at about one window
/// however large the store is; the file's pages are dropped from the page cache first, so the read is cold.
/// </summary>
internal static unsafe partial class BigFileBenchmark
{
    private const int D = 4096;
    private const long Window = 1L << 30;

    public static void Run(long bytes, List<Measurement> results, Dictionary<string, double> ratios)
    {
        var path = Path.Combine(ResultsFolder.ArtifactsFolder(), "scoring-big.bf16");
        var rowBytes = D * sizeof(ushort);
        var n = bytes / rowBytes;
        bytes = n * rowBytes;
        if (!File.Exists(path) || new FileInfo(path).Length != bytes)
            Write(path, bytes);
        DropFromPageCache(path);

        var query = new float[D];
        fixed (float* q = query)
            RandomFill.Floats(q, D, 7);
        var scores = new float[n];
        ProcessMemory.ResetPeak();
        var baseline = ProcessMemory.RssBytes();
        var watch = Stopwatch.StartNew();
        using (var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
        fixed (float* q = query)
        fixed (float* s = scores)
        {
            var rowsPerWindow = Window / rowBytes;
            for (long start = 0; start < n; start += rowsPerWindow)
            {
                var count = Math.Min(rowsPerWindow, n - start);
                using var view = file.CreateViewAccessor(start * rowBytes, count * rowBytes, MemoryMappedFileAccess.Read);
                byte* p = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
                try
                {
                    ScoreKernels.Score((ushort*)(p + view.PointerOffset), count, D, q, 1, s + start);
                }
                finally
                {
                    view.SafeMemoryMappedViewHandle.ReleasePointer();
                }
            }
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var peak = ProcessMemory.PeakRssBytes();
        results.Add(new("big file: bf16 M=1, memory-mapped, cold", bytes / seconds / 1e9, "GB/s", $"{bytes / 1e9:F1} GB, {n:N0} rows x {D}, {seconds:F1} s"));
        results.Add(new("big file: peak RSS while scoring", peak / 1e9, "GB", $"RSS before {baseline / 1e9:F2} GB; {peak / (double)bytes:P1} of the file"));
        ratios["big_file_peak_rss_over_file_size"] = peak / (double)bytes;
        ratios["big_file_seconds"] = seconds;
    }

    private static void Write(string path, long bytes)
    {
        Console.WriteLine($"writing {bytes / 1e9:F1} GB of random bf16 rows to {path} ...");
        var chunk = new ushort[32 << 20];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        long written = 0;
        ulong seed = 1;
        while (written < bytes)
        {
            var count = (int)Math.Min(chunk.Length, (bytes - written) / sizeof(ushort));
            fixed (ushort* c = chunk)
                RandomFill.BFloat16(c, count, seed++);
            stream.Write(MemoryMarshal.AsBytes(chunk.AsSpan(0, count)));
            written += count * sizeof(ushort);
        }
        stream.Flush(flushToDisk: true);
    }

    // Written pages stay cached; POSIX_FADV_DONTNEED drops only this file's clean pages (no global cache drop).
    private static void DropFromPageCache(string path)
    {
        using var handle = File.OpenHandle(path);
        _ = posix_fadvise(handle.DangerousGetHandle().ToInt32(), 0, 0, 4);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_fadvise(int fd, long offset, long length, int advice);
}
