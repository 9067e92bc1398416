using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Infra.Core.Text;

namespace Infra.Bench.Tokenizer;

/// <summary>
/// <c>tokenizer</c>: our <see cref="HfTokenizer"/> against HF's Rust tokenizer (Tokenizers.DotNet, the tests' reference)
/// on the real Qwen tokenizer, side by side in one run: unbroken 50,000-character runs (CJK, letters, minified code,
/// digits) and a chat-sized mixed text, each repeated so a noisy neighbour shows as spread. Reports median times,
/// the ratio ours / HF per repetition (min..max), and whether the ids are equal.
/// </summary>
internal static class TokenizerBenchmark
{
    public static int Run(string[] args)
    {
        var reps = args.Contains("--quick") ? 3 : 9;
        var folder = Locate();
        var ours = HfTokenizer.LoadFolder(folder);
        var reference = new Tokenizers.DotNet.Tokenizer(Path.Combine(folder, "tokenizer.json"));
        Console.WriteLine($"CPU: {CpuName()}; widest vector: {(Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : "128")} bits; " +
            $"{Environment.ProcessorCount} cores; load average {LoadAverage()}");
        Console.WriteLine("| text | chars | ours ms (median) | HF ms (median) | ours / HF (min..max) | ids equal |");
        Console.WriteLine("|---|---:|---:|---:|---|---|");
        foreach (var (name, text) in Texts())
        {
            var equal = ours.Encode(text).Ids.SequenceEqual(reference.Encode(text).Select(id => checked((int)id)));
            var oursMs = new double[reps];
            var hfMs = new double[reps];
            for (var r = 0; r < reps; r++)
            {
                // Alternate, so drift in the machine's load hits both alike.
                oursMs[r] = Time(() => ours.Encode(text));
                hfMs[r] = Time(() => reference.Encode(text));
            }
            var ratios = oursMs.Zip(hfMs, (o, h) => o / h).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {text.Length:N0} | {Median(oursMs):F1} | {Median(hfMs):F1} | {Median(ratios):F2} ({ratios[0]:F2}..{ratios[^1]:F2}) | {equal} |"));
        }
        return 0;
    }

    private static IEnumerable<(string Name, string Text)> Texts()
    {
        yield return ("CJK run", string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)(0x4E00 + i * 7919 % 20_000))));
        yield return ("letter run", string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)('a' + i * 31 % 26))));
        yield return ("minified code", string.Concat(Enumerable.Repeat("var a=b&&c||d?e(f,g):h[i]+j;", 1_800)));
        yield return ("digit run", string.Concat(Enumerable.Range(0, 50_000).Select(i => (char)('0' + i * 7 % 10))));
        yield return ("chat turn", string.Concat(Enumerable.Repeat(
            "<|im_start|>user\nSolve $x^2 - 5x + 6 = 0$ and explain.<|im_end|>\n<|im_start|>assistant\nFactor: (x - 2)(x - 3) = 0, so x = 2 or x = 3. 验证：4 - 10 + 6 = 0 ✓\n```python\nprint([x for x in range(10) if x*x - 5*x + 6 == 0])\n```<|im_end|>\n", 40)));
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, ".cache", "qwen-tokenizer");
            if (File.Exists(Path.Combine(folder, "tokenizer.json"))) return folder;
        }
        throw new InvalidOperationException("the Qwen tokenizer is not in .cache/qwen-tokenizer: run `bash eng/fetch-qwen-tokenizer.sh`");
    }

    private static string CpuName() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
