using System.Text.Json;
using Infra.Validation.Influence;
using Infra.Validation.Lds;

namespace Infra.Validation.Tests;

/// <summary><c>infra validate lds --quick</c>'s run: output shape, a finite LDS for every method, resumability.</summary>
public sealed class LdsQuickTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void Quick_run_reports_every_method_and_a_rerun_trains_nothing_and_reproduces_the_table()
    {
        var options = LdsOptions.Quick(Repository.DefaultTokenizer);
        var folder = Path.Combine(_temp.Path, "run");
        var first = new LdsRun(options, folder, TextWriter.Null);
        var results = first.Run()!;

        Assert.Equal(1 + options.Subsets + options.NoiseSubsets, first.ModelsTrained);
        Assert.Equal(options.Subsets, results.Subsets);
        Assert.Equal(options.ProjectionDims.Count + 1, results.Rows.Select(r => r.Projection).Distinct().Count());
        foreach (var projection in results.Rows.Select(r => r.Projection).Distinct())
            Assert.Equal(Enum.GetValues<InfluenceMethod>().Order(), results.Rows.Where(r => r.Projection == projection).Select(r => r.Method).Order());
        Assert.All(results.Rows, r =>
        {
            Assert.True(double.IsFinite(r.Lds.Mean), $"{r.Method} at {r.Projection} has LDS {r.Lds.Mean}");
            Assert.Equal(options.Queries, r.PerQuery.Count);
            Assert.InRange(r.Lds.Mean, -1, 1);
        });
        Assert.NotNull(results.NoiseCeiling);
        Assert.Equal(options.Subsets + options.NoiseSubsets, Directory.GetFiles(Path.Combine(folder, "subsets"), "*.json").Length);
        var markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
        Assert.Contains("| EK-FAC (projected) |", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "results.json")));

        // A killed run loses at most the model in flight: drop one subset's file and rerun; only that model is retrained.
        File.Delete(Path.Combine(folder, "subsets", "subset-002-seed-0.json"));
        var resumed = new LdsRun(options, folder, TextWriter.Null);
        resumed.Run();
        Assert.Equal(1, resumed.ModelsTrained);
        var table = LdsMarkdown.Table(JsonResults(folder));

        // A rerun of a finished run trains nothing and reproduces the table from the saved measurements.
        var again = new LdsRun(options, folder, TextWriter.Null);
        var rerun = again.Run()!;
        Assert.Equal(0, again.ModelsTrained);
        Assert.Equal(table, LdsMarkdown.Table(rerun));

        // A run folder written before format 2 (C# names, no format_version) resumes: nothing is retrained, the table is
        // the same, and its run.json is rewritten as format 2.
        ToFormatOne(folder, options);
        var old = new LdsRun(options, folder, TextWriter.Null);
        var fromFormatOne = old.Run()!;
        Assert.Equal(0, old.ModelsTrained);
        Assert.Equal(table, LdsMarkdown.Table(fromFormatOne));
        Assert.Contains("\"format_version\": 2", File.ReadAllText(Path.Combine(folder, "run.json")), StringComparison.Ordinal);

        Assert.Throws<LdsRunMismatchException>(() => new LdsRun(options with { Subsets = 5, NoiseSubsets = 0 }, folder, TextWriter.Null).Run());
    }

    // Rewrites the folder's JSON files as format 1 wrote them.
    private static void ToFormatOne(string folder, LdsOptions options)
    {
        void Rewrite<T>(string path) => File.WriteAllText(path, JsonSerializer.Serialize(JsonFiles.Read<T>(path), JsonFiles.FormatOne));
        foreach (var path in Directory.GetFiles(Path.Combine(folder, "subsets"), "*.json").Append(Path.Combine(folder, "full-model.json")))
            Rewrite<SubsetResult>(path);
        foreach (var path in Directory.GetFiles(Path.Combine(folder, "scores"), "*.json"))
            Rewrite<ScoredProjection>(path);
        Rewrite<LdsResults>(Path.Combine(folder, "results.json"));
        var run = Path.Combine(folder, "run.json");
        using var current = JsonDocument.Parse(File.ReadAllText(run));
        var arguments = new
        {
            options,
            tokenizer_sha256 = current.RootElement.GetProperty("tokenizer_sha256").GetString(),
        };
        File.WriteAllText(run, JsonSerializer.Serialize(arguments, JsonFiles.FormatOne));
        Assert.DoesNotContain("format_version", File.ReadAllText(run), StringComparison.Ordinal);
    }

    private static LdsResults JsonResults(string folder) => JsonFiles.Read<LdsResults>(Path.Combine(folder, "results.json"))!;
}
