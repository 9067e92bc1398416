using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.IO;

namespace Infra.Bench;

/// <summary>Writes <c>gradients.json</c> (<see cref="ProjectJson"/>: snake_case keys, a format_version) and the Markdown table.</summary>
internal static class ReportWriter
{
    /// <summary>The format of the bench reports (gradients.json, scoring.json, load.json): 2; format 1 had no version (and scoring.json and load.json used the C# names).</summary>
    public const int FormatVersion = 2;

    private static readonly JsonSerializerOptions Json = new(ProjectJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string ToJson(BenchReport report) => ProjectJson.Serialize(report, FormatVersion, Json);

    /// <summary>Writes <c>NAME.json</c> and <c>NAME.md</c> into <paramref name="folder"/> and prints the table to stdout.</summary>
    public static async Task WriteAsync(BenchReport report, string folder, string name, string title)
    {
        var markdown = ToMarkdown(report, title);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{name}.json"), ToJson(report)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{name}.md"), markdown).ConfigureAwait(false);
        Console.Write(markdown);
    }

    public static string ToMarkdown(BenchReport report, string title = "Gradient benchmarks")
    {
        var m = report.Machine;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {title}{(m.Quick ? " (--quick)" : "")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{m.Date}; {m.Cpu}, {m.Cores} cores; torch threads = {m.TorchThreads} (set to the core count), interop {m.TorchInteropThreads}; " +
            $"{m.Runtime}; load average {m.LoadAverageAtStart} at start, {m.LoadAverageAtEnd} at end; wall {m.WallSeconds:F0} s.");
        text.AppendLine();
        text.AppendLine("| ratio | value |");
        text.AppendLine("|---|---:|");
        foreach (var (name, value) in report.Ratios)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format(value)} |");
        text.AppendLine();
        text.AppendLine("| measurement | value (median) | unit | best | median s | min s | reps | notes |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---|");
        foreach (var r in report.Results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Name} | {Format(r.Value)} | {r.Unit} | {Format(r.Best)} | {Format(r.MedianSeconds)} | {Format(r.MinSeconds)} | {r.Reps} | {r.Note} |");
        }
        return text.ToString();
    }

    private static string Format(double? value) => value switch
    {
        null => "",
        { } v when Math.Abs(v) >= 100 => v.ToString("N0", CultureInfo.InvariantCulture),
        { } v when Math.Abs(v) >= 1 => v.ToString("F2", CultureInfo.InvariantCulture),
        { } v => v.ToString("F3", CultureInfo.InvariantCulture),
    };
}
