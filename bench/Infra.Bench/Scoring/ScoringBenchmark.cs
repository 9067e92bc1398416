using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Infra.Core.IO;
using Infra.Core.Kernels;

namespace Infra.Bench.Scoring;

/// <summary>
/// <c>scoring [--quick] [--big] [--rounds N]</c>: the influence scoring kernels side by side with the machine's own
/// limits (streaming read at 1 and all threads, FMA peak) and OpenBLAS, interleaved: every round measures every
/// figure once (median of a few repetitions), ratios are taken within a round, and the report gives each figure's
/// median over rounds with its lowest and highest, so a noisy neighbour shows as spread. Writes a Markdown table to
/// stdout and bench/results/scoring.md, and bench/results/scoring.json with every round's values.
/// </summary>
public static unsafe class ScoringBenchmark
{
    private const int D = 4096;

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = args.Contains("--quick");
        var big = args.Contains("--big");
        var roundsAt = Array.IndexOf(args, "--rounds");
        var rounds = roundsAt >= 0 && roundsAt + 1 < args.Length ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : quick ? 3 : 5;
        const int reps = 3;
        var scale = quick ? 8 : 1;
        var threads = Environment.ProcessorCount;
        var series = new RoundSeries();
        var notes = new List<string>
        {
            $"CPU: {CpuModel()}, {threads} threads; widest vector the kernels run: {KernelWidth()}",
            $"load average at start: {LoadAverage()}",
            $"{rounds} interleaved rounds, each figure the median of {reps} repetitions after a warm-up; table: median over rounds [lowest - highest]",
            $"OPENBLAS env: {string.Join(' ', Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("OPENBLAS", StringComparison.Ordinal)).Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").DefaultIfEmpty("(none)"))}",
        };
        var blas = OpenBlas.IsAvailable;
        if (blas)
        {
            OpenBlas.openblas_set_num_threads(threads);
            notes.Add($"OpenBLAS: core {OpenBlas.CoreName}; {OpenBlas.Config}");
        }
        else
        {
            notes.Add("OpenBLAS: libopenblas.so.0 not found (apt-get install -y libopenblas0-pthread); baseline skipped");
        }

        // fp32 rows (2 GB, also the streaming-read buffer: one allocation fewer on a shared machine), bf16 (1 GB) and
        // int8 (0.5 GB) rows: all far beyond the last-level cache.
        var nFp32 = 131_072 / scale;
        var nGemm = nFp32 / 4;
        var nBf16 = 131_072 / scale;
        var nInt8 = 131_072 / scale;
        using var fp32Rows = new NativeBuffer((long)nFp32 * D * 4);
        using var bf16Rows = new NativeBuffer((long)nBf16 * D * 2);
        using var int8Rows = new NativeBuffer((long)nInt8 * D);
        using var rowScales = new NativeBuffer(nInt8 * 4L);
        using var queries = new NativeBuffer(128L * D * 4);
        using var ours = new NativeBuffer((long)Math.Max(nGemm * 128L, nBf16) * 4);
        using var theirs = new NativeBuffer((long)nGemm * 128 * 4);
        RandomFill.Floats(fp32Rows.As<float>(), (long)nFp32 * D, 4);
        RandomFill.BFloat16(bf16Rows.As<ushort>(), (long)nBf16 * D, 2);
        RandomFill.Int8(int8Rows.As<sbyte>(), (long)nInt8 * D, 6);
        new Span<float>(rowScales.As<float>(), nInt8).Fill(1f / 127);
        RandomFill.Floats(queries.As<float>(), 128L * D, 5);
        var tokens = new TokenWorkload(16_384 / scale, 64, 18, 32, 256);

        for (var round = 0; round < rounds; round++)
        {
            // Machine limits, in every round next to the kernels they bound.
            var stream1 = series.Add("streaming read, 1 thread", MachineLimits.StreamingReadGBs(fp32Rows, 1, reps), "GB/s", $"{MachineLimits.VectorWidth} sum over {fp32Rows.Bytes / 1e9:F1} GB");
            var stream2 = series.Add($"streaming read, {threads} threads", MachineLimits.StreamingReadGBs(fp32Rows, threads, reps), "GB/s");
            series.Add("FMA peak, 1 thread", MachineLimits.FmaPeakGFlops(1, reps), "GFLOP/s", $"{MachineLimits.VectorWidth}, 12 chains in registers");
            var fma2 = series.Add($"FMA peak, {threads} threads", MachineLimits.FmaPeakGFlops(threads, reps), "GFLOP/s");
            _ = stream1;

            // M = 1 on bf16 rows: memory-bound, so measured against the streaming read.
            var s = Timing.MedianSeconds(() => ScoreKernels.Score(bf16Rows.As<ushort>(), nBf16, D, queries.As<float>(), 1, ours.As<float>()), reps);
            var bf16 = series.Add($"bf16 M=1, {nBf16:N0} x {D} ({bf16Rows.Bytes / 1e9:F1} GB)", bf16Rows.Bytes / s / 1e9, "GB/s");
            series.Add("ratio: bf16 M=1 / streaming read (all threads)", bf16 / stream2, "x", "target >= 0.9");

            s = Timing.MedianSeconds(() => ScoreKernels.Score(fp32Rows.As<float>(), nFp32, D, queries.As<float>(), 1, ours.As<float>()), reps);
            var fp32RowsPerSecond = nFp32 / s;
            var fp32 = series.Add($"fp32 M=1, {nFp32:N0} x {D} ({fp32Rows.Bytes / 1e9:F1} GB)", fp32Rows.Bytes / s / 1e9, "GB/s");
            series.Add("ratio: fp32 M=1 / streaming read (all threads)", fp32 / stream2, "x");

            // The GEMM shapes against OpenBLAS on the same buffers, each pair back to back.
            foreach (var m in new[] { 32, 128 })
            {
                var flops = 2.0 * nGemm * D * m;
                var mine = flops / Timing.MedianSeconds(() => ScoreKernels.Score(fp32Rows.As<float>(), nGemm, D, queries.As<float>(), m, ours.As<float>()), reps) / 1e9;
                series.Add($"fp32 M={m}, {nGemm:N0} x {D}: ScoreKernels", mine, "GFLOP/s");
                series.Add($"ratio: fp32 M={m} / FMA peak ({threads} threads)", mine / fma2, "x", "target >= 0.8");
                if (!blas)
                    continue;
                var other = flops / Timing.MedianSeconds(() => OpenBlas.Scores(fp32Rows.As<float>(), nGemm, D, queries.As<float>(), m, theirs.As<float>()), reps) / 1e9;
                series.Add($"fp32 M={m}, {nGemm:N0} x {D}: OpenBLAS sgemm", other, "GFLOP/s");
                series.Add($"ratio: fp32 M={m} ScoreKernels / OpenBLAS", mine / other, "x", m == 128 ? "target >= 1.1" : "target >= 1.5");
                series.Add($"fp32 M={m}: max |ScoreKernels - OpenBLAS| / max |score|", MaxRelativeDifference(ours.As<float>(), theirs.As<float>(), (long)nGemm * m), "");
            }

            // int8 M = 1: the int16-query path and the fp32-widening path, in rows/s against fp32 rows.
            foreach (var mode in new[] { Int8ScoreMode.Int16Query, Int8ScoreMode.Float32 })
            {
                s = Timing.MedianSeconds(() => ScoreKernels.Score(int8Rows.As<sbyte>(), rowScales.As<float>(), nInt8, D, queries.As<float>(), 1, ours.As<float>(), mode), reps);
                series.Add($"int8 M=1 ({mode}), {nInt8:N0} x {D}", nInt8 / s / 1e6, "M rows/s", $"{int8Rows.Bytes / s / 1e9:F1} GB/s in the last round");
                series.Add($"ratio: int8 M=1 ({mode}) / fp32 M=1 rows/s", nInt8 / s / fp32RowsPerSecond, "x", mode == Int8ScoreMode.Int16Query ? "target >= 1.5" : "");
            }

            tokens.Measure(series, reps, fma2);
        }

        var results = new List<Measurement>();
        var ratios = new Dictionary<string, double>();
        if (big)
            BigFileBenchmark.Run(13_500_000_000L, results, ratios);
        else
            notes.Add("big-file measurement skipped (opt in with --big: writes a 13.5 GB file under artifacts/)");
        notes.Add($"load average at end: {LoadAverage()}");

        Report(series, results, ratios, notes, quick);
        return Task.FromResult(0);
    }

    private static string KernelWidth() =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512BW.IsSupported ? "Vector512 (AVX-512, 12 x 32 register tile)"
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? "Vector256 (AVX2 + FMA, 6 x 16 register tile)" : "scalar";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1, 5, 15 min)";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double MaxRelativeDifference(float* x, float* y, long count)
    {
        double diff = 0, max = 0;
        for (long i = 0; i < count; i++)
        {
            diff = Math.Max(diff, Math.Abs(x[i] - y[i]));
            max = Math.Max(max, Math.Abs(y[i]));
        }
        return max == 0 ? diff : diff / max;
    }

    private static string CpuModel()
    {
        try
        {
            var lines = File.ReadAllLines("/proc/cpuinfo");
            string Field(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            return $"{Field("model name")} (family {Field("cpu family")}, model {Field("model\t")})";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void Report(RoundSeries series, List<Measurement> results, Dictionary<string, double> ratios, List<string> notes, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Scoring benchmark{(quick ? " (--quick)" : "")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        foreach (var note in notes)
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        md.AppendLine();
        md.AppendLine("| measurement | median | [lowest - highest] | unit | note |");
        md.AppendLine("|---|---:|---|---|---|");
        var summaries = series.Summaries().ToList();
        foreach (var r in summaries)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Format(r.Median)} | [{Format(r.Min)} - {Format(r.Max)}] | {r.Unit} | {r.Note} |");
        foreach (var r in results)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Value:F2} | (one run) | {r.Unit} | {r.Note} |");
        var text = md.ToString();
        Console.Write(text);
        var folder = ResultsFolder.Locate();
        File.WriteAllText(Path.Combine(folder, "scoring.md"), text);
        var json = ProjectJson.Serialize(new { quick, notes, figures = summaries, results, ratios }, ReportWriter.FormatVersion);
        File.WriteAllText(Path.Combine(folder, "scoring.json"), json);
        Console.WriteLine($"written: {Path.Combine(folder, "scoring.md")}, scoring.json");
    }

    private static string Format(double value) =>
        value != 0 && Math.Abs(value) < 0.01 ? value.ToString("G2", CultureInfo.InvariantCulture) : value.ToString("F2", CultureInfo.InvariantCulture);
}
