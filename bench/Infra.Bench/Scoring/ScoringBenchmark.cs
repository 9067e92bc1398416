using System.Globalization;
using System.Text;
using Infra.Core.IO;
using Infra.Core.Kernels;

namespace Infra.Bench.Scoring;

/// <summary>
/// <c>scoring [--quick] [--big]</c>: the influence scoring kernels side by side with the machine's own limits and
/// OpenBLAS, in one run on the same buffers; medians of several repetitions after warm-up. Writes a Markdown table
/// to stdout and bench/results/scoring.md, and bench/results/scoring.json with named ratios.
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
        var reps = quick ? 3 : 7;
        var scale = quick ? 8 : 1;
        var threads = Environment.ProcessorCount;
        var results = new List<Measurement>();
        var ratios = new Dictionary<string, double>();
        var notes = new List<string>
        {
            $"CPU: {CpuModel()}, {threads} threads; widest accelerated vector: {MachineLimits.VectorWidth}",
            $"OPENBLAS env: {string.Join(' ', Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("OPENBLAS", StringComparison.Ordinal)).Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").DefaultIfEmpty("(none)"))}",
        };

        // Machine limits.
        double stream1, stream2;
        using (var buffer = new NativeBuffer(2L << 30 >> (quick ? 2 : 0)))
        {
            RandomFill.Floats(buffer.As<float>(), buffer.Bytes / 4, 1);
            stream1 = MachineLimits.StreamingReadGBs(buffer, 1, reps);
            stream2 = MachineLimits.StreamingReadGBs(buffer, threads, reps);
        }
        var fma1 = MachineLimits.FmaPeakGFlops(1, reps);
        var fma2 = MachineLimits.FmaPeakGFlops(threads, reps);
        results.Add(new("streaming read, 1 thread", stream1, "GB/s", $"{MachineLimits.VectorWidth} sum over a buffer >> L3"));
        results.Add(new($"streaming read, {threads} threads", stream2, "GB/s", ""));
        results.Add(new("FMA peak, 1 thread", fma1, "GFLOP/s", $"{MachineLimits.VectorWidth}, 12 chains in registers"));
        results.Add(new($"FMA peak, {threads} threads", fma2, "GFLOP/s", ""));

        // M = 1 on bf16 rows: memory-bound.
        var nBf16 = 262_144 / scale;
        using (var rows = new NativeBuffer((long)nBf16 * D * 2))
        using (var query = new NativeBuffer(D * 4))
        using (var scores = new NativeBuffer(nBf16 * 4L))
        {
            RandomFill.BFloat16(rows.As<ushort>(), (long)nBf16 * D, 2);
            RandomFill.Floats(query.As<float>(), D, 3);
            var s = Timing.MedianSeconds(() => ScoreKernels.Score(rows.As<ushort>(), nBf16, D, query.As<float>(), 1, scores.As<float>()), reps);
            var gbs = rows.Bytes / s / 1e9;
            ratios["bf16_m1_over_stream"] = gbs / stream2;
            results.Add(new($"bf16 M=1, {nBf16:N0} x {D} ({rows.Bytes / 1e9:F1} GB)", gbs, "GB/s", $"{ratios["bf16_m1_over_stream"]:F2} x streaming (target >= 0.85)"));
        }

        // fp32 M = 1 and the GEMM shapes, against OpenBLAS on the same buffers.
        var nFp32 = 131_072 / scale;
        double fp32RowsPerSecond;
        using (var rows = new NativeBuffer((long)nFp32 * D * 4))
        using (var queries = new NativeBuffer(128L * D * 4))
        using (var ours = new NativeBuffer((long)nFp32 * 128 * 4 / 4))
        using (var theirs = new NativeBuffer((long)nFp32 * 128 * 4 / 4))
        {
            RandomFill.Floats(rows.As<float>(), (long)nFp32 * D, 4);
            RandomFill.Floats(queries.As<float>(), 128L * D, 5);
            var s = Timing.MedianSeconds(() => ScoreKernels.Score(rows.As<float>(), nFp32, D, queries.As<float>(), 1, ours.As<float>()), reps);
            fp32RowsPerSecond = nFp32 / s;
            results.Add(new($"fp32 M=1, {nFp32:N0} x {D} ({rows.Bytes / 1e9:F1} GB)", rows.Bytes / s / 1e9, "GB/s", $"{rows.Bytes / s / 1e9 / stream2:F2} x streaming; {fp32RowsPerSecond / 1e6:F2} M rows/s"));

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
            var nGemm = nFp32 / 4;
            foreach (var m in new[] { 32, 128 })
            {
                var flops = 2.0 * nGemm * D * m;
                var mine = Timing.MedianSeconds(() => ScoreKernels.Score(rows.As<float>(), nGemm, D, queries.As<float>(), m, ours.As<float>()), reps);
                var gf = flops / mine / 1e9;
                ratios[$"fp32_m{m}_over_fma_peak"] = gf / fma2;
                var note = $"{ratios[$"fp32_m{m}_over_fma_peak"]:F2} x FMA peak (target >= 0.75)";
                results.Add(new($"fp32 M={m}, {nGemm:N0} x {D}: ScoreKernels", gf, "GFLOP/s", note));
                if (blas)
                {
                    var other = Timing.MedianSeconds(() => OpenBlas.Scores(rows.As<float>(), nGemm, D, queries.As<float>(), m, theirs.As<float>()), reps);
                    var bgf = flops / other / 1e9;
                    ratios[$"fp32_m{m}_over_openblas"] = gf / bgf;
                    ratios[$"fp32_m{m}_max_relative_difference_vs_openblas"] = MaxRelativeDifference(ours.As<float>(), theirs.As<float>(), (long)nGemm * m);
                    results.Add(new($"fp32 M={m}, {nGemm:N0} x {D}: OpenBLAS sgemm", bgf, "GFLOP/s",
                        $"ScoreKernels / OpenBLAS = {ratios[$"fp32_m{m}_over_openblas"]:F2} (target >= 1.0); max |diff| / max |score| = {ratios[$"fp32_m{m}_max_relative_difference_vs_openblas"]:G2}"));
                }
            }
        }

        // int8 M = 1: the int16-query path and the fp32-widening path, in rows/s against fp32.
        var nInt8 = 262_144 / scale;
        using (var rows = new NativeBuffer((long)nInt8 * D))
        using (var rowScales = new NativeBuffer(nInt8 * 4L))
        using (var query = new NativeBuffer(D * 4))
        using (var scores = new NativeBuffer(nInt8 * 4L))
        {
            RandomFill.Int8(rows.As<sbyte>(), (long)nInt8 * D, 6);
            new Span<float>(rowScales.As<float>(), nInt8).Fill(1f / 127);
            RandomFill.Floats(query.As<float>(), D, 7);
            foreach (var mode in new[] { Int8ScoreMode.Int16Query, Int8ScoreMode.Float32 })
            {
                var s = Timing.MedianSeconds(() => ScoreKernels.Score(rows.As<sbyte>(), rowScales.As<float>(), nInt8, D, query.As<float>(), 1, scores.As<float>(), mode), reps);
                var key = mode == Int8ScoreMode.Int16Query ? "int8_int16query_m1_rows_over_fp32" : "int8_float32_m1_rows_over_fp32";
                ratios[key] = nInt8 / s / fp32RowsPerSecond;
                results.Add(new($"int8 M=1 ({mode}), {nInt8:N0} x {D}", nInt8 / s / 1e6, "M rows/s", $"{ratios[key]:F2} x fp32 rows/s (target >= 1.5); {rows.Bytes / s / 1e9:F1} GB/s"));
            }
        }

        // Token-level, one layer, k_in = k_out = 64.
        var tokens = 16_384 / scale;
        foreach (var m in new[] { 1, 32 })
        {
            const int k = 64;
            var random = new Random(8);
            var a = Enumerable.Range(0, tokens * k).Select(_ => (float)random.NextDouble()).ToArray();
            var g = Enumerable.Range(0, tokens * k).Select(_ => (float)random.NextDouble()).ToArray();
            var q = Enumerable.Range(0, m * k * k).Select(_ => (float)random.NextDouble()).ToArray();
            var s = new float[tokens * m];
            var seconds = Timing.MedianSeconds(() => TokenScoreKernels.Score(a, g, tokens, k, k, q, m, s), reps);
            var flops = 2.0 * tokens * m * k * (k + 1);
            results.Add(new($"token-level M={m}, one layer 64 x 64, {tokens:N0} tokens", tokens / seconds / 1e6, "M tokens/s", $"{flops / seconds / 1e9:F0} GFLOP/s; 18 layers: {tokens / seconds / 18 / 1e6:F2} M tokens/s"));
            ratios[$"token_m{m}_tokens_per_second"] = tokens / seconds;
        }

        if (big)
            BigFileBenchmark.Run(13_500_000_000L, results, ratios);
        else
            notes.Add("big-file measurement skipped (opt in with --big: writes a 13.5 GB file under artifacts/)");

        Report(results, ratios, notes, quick);
        return Task.FromResult(0);
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

    private static void Report(List<Measurement> results, Dictionary<string, double> ratios, List<string> notes, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Scoring benchmark{(quick ? " (--quick)" : "")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        foreach (var note in notes)
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        md.AppendLine();
        md.AppendLine("| measurement | value | unit | ratio / note |");
        md.AppendLine("|---|---:|---|---|");
        foreach (var r in results)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Value:F2} | {r.Unit} | {r.Note} |");
        var text = md.ToString();
        Console.Write(text);
        var folder = ResultsFolder.Locate();
        File.WriteAllText(Path.Combine(folder, "scoring.md"), text);
        var json = ProjectJson.Serialize(new { quick, notes, results, ratios }, ReportWriter.FormatVersion);
        File.WriteAllText(Path.Combine(folder, "scoring.json"), json);
        Console.WriteLine($"written: {Path.Combine(folder, "scoring.md")}, scoring.json");
    }
}
