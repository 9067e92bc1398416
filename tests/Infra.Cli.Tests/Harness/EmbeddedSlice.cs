namespace Infra.Cli.Tests.Harness;

/// <summary>
/// A small slice of the embedded default (models/default): every k-th line of its committed training sample (so both
/// domains and all difficulties appear) and the first held-out problems per domain that the model answers correctly.
/// </summary>
internal static class EmbeddedSlice
{
    /// <summary>The checkout's models/default.</summary>
    public static string DefaultFolder => Path.Combine(RepositoryRoot.FindFrom(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the checkout"), "models", "default");

    /// <summary>Writes <paramref name="examples"/> training lines to <paramref name="path"/>; returns their ids.</summary>
    public static IReadOnlyList<string> WriteCorpus(string path, int examples)
    {
        var lines = File.ReadAllLines(Path.Combine(DefaultFolder, "corpus", "train-sample.jsonl"));
        var step = Math.Max(1, lines.Length / examples);
        var chosen = Enumerable.Range(0, examples).Select(i => lines[i * step % lines.Length]).ToList();
        File.WriteAllLines(path, chosen);
        return chosen.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>Writes <paramref name="perDomain"/> correctly answered held-out math and code problems to <paramref name="path"/>.</summary>
    public static void WriteQueries(string path, int perDomain) =>
        File.WriteAllLines(path, File.ReadLines(Path.Combine(DefaultFolder, "queries-math.jsonl")).Take(perDomain)
            .Concat(File.ReadLines(Path.Combine(DefaultFolder, "queries-code.jsonl")).Take(perDomain)));
}
