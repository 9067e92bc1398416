namespace Infra.Aggregation.Tests.Reports;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Infra.Services.sln above {AppContext.BaseDirectory}");
    }

    public static string DefaultModel => Path.Combine(Root(), "models", "default", "model");

    public static string DefaultTrainSample => Path.Combine(Root(), "models", "default", "corpus", "train-sample.jsonl");

    /// <summary>A fresh folder under the test output directory's artifacts/, for files a person may want to look at.</summary>
    public static string Artifacts(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
