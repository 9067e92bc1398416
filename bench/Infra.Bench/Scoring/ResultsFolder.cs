namespace Infra.Bench.Scoring;

/// <summary>bench/results of the checkout the benchmark runs from (found by walking up to the solution file).</summary>
internal static class ResultsFolder
{
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln")))
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "bench", "results")).FullName;
        return Directory.CreateDirectory(Path.Combine(Environment.CurrentDirectory, "bench", "results")).FullName;
    }

    public static string ArtifactsFolder()
    {
        var results = Locate();
        return Directory.CreateDirectory(Path.Combine(results, "..", "..", "artifacts")).FullName;
    }
}
