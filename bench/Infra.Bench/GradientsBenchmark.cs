using System.Diagnostics;
using TorchSharp;

namespace Infra.Bench;

/// <summary>Runs the plan, prints the Markdown table to stdout (progress goes to stderr) and writes both files.</summary>
internal static class GradientsBenchmark
{
    public static async Task RunAsync(BenchArguments arguments)
    {
        var clock = Stopwatch.StartNew();
        var log = Console.Error;
        // libtorch's default may differ from the cores this process may use; make it explicit.
        torch.set_num_threads(Environment.ProcessorCount);
        var machine = MachineInfo.Capture(arguments.Quick);
        log.WriteLine($"torch threads = {machine.TorchThreads} (cores = {machine.Cores}); load average {machine.LoadAverageAtStart}");

        var plan = BenchPlan.For(arguments.Quick);
        var results = new List<BenchResult>();
        var ratios = new Dictionary<string, double>();
        foreach (var scenario in arguments.StreamOnly ? [] : plan.Compute)
        {
            var (r, overhead, speedup) = ComputeBenchmark.Run(scenario, log);
            results.AddRange(r);
            ratios[$"overhead_{scenario.Key}"] = overhead;
            ratios[$"speedup_over_full_logits_{scenario.Key}"] = speedup;
        }
        if (!arguments.StreamOnly)
        {
            log.WriteLine("[host_copy] tensor -> float[] copy rates");
            results.AddRange(HostCopyProbe.Run(plan.HostCopy, rows: 512, cols: 1024));
        }
        foreach (var scenario in plan.Stream)
        {
            var (r, mibs, share, overlap) = await StreamBenchmark.RunAsync(scenario, arguments.Device, log).ConfigureAwait(false);
            results.AddRange(r);
            ratios[$"{scenario.Key}_mib_s"] = mibs;
            ratios[$"{scenario.Key}_compute_share"] = share;
            ratios[$"{scenario.Key}_compute_ahead_speedup"] = overlap;
        }

        var report = new BenchReport(machine with { LoadAverageAtEnd = MachineInfo.LoadAverage(), WallSeconds = clock.Elapsed.TotalSeconds },
            results, ratios);
        var markdown = ReportWriter.ToMarkdown(report);
        Directory.CreateDirectory(arguments.OutputFolder);
        await File.WriteAllTextAsync(Path.Combine(arguments.OutputFolder, "gradients.json"), ReportWriter.ToJson(report)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(arguments.OutputFolder, "gradients.md"), markdown).ConfigureAwait(false);
        Console.Write(markdown);
    }
}
