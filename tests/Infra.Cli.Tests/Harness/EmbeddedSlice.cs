namespace Infra.Cli.Tests.Harness;

/// <summary>
/// A small slice of the embedded default (models/default): lines of its committed training sample from every (domain,
/// difficulty) cell and the first held-out problems per domain that the model answers correctly.
/// </summary>
internal static class EmbeddedSlice
{
    /// <summary>The checkout's models/default.</summary>
    public static string DefaultFolder => Path.Combine(RepositoryRoot.FindFrom(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the checkout"), "models", "default");

    /// <summary>
    /// Writes <paramref name="examples"/> training lines to <paramref name="path"/>, taken round-robin over the
    /// (domain, difficulty) cells so every cell appears (24 examples: 2-3 per cell); returns their ids.
    /// </summary>
    public static IReadOnlyList<string> WriteCorpus(string path, int examples)
    {
        var cells = File.ReadAllLines(Path.Combine(DefaultFolder, "corpus", "train-sample.jsonl"))
            .Select(line => (Line: line, Record: System.Text.Json.JsonDocument.Parse(line).RootElement.Clone()))
            .GroupBy(x => (Domain: x.Record.GetProperty("domain").GetString()!, Difficulty: x.Record.GetProperty("difficulty").GetInt32()))
            .OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty)
            .Select(g => g.ToList()).ToList();
        var chosen = Enumerable.Range(0, examples).Select(i => cells[i % cells.Count][i / cells.Count % cells[i % cells.Count].Count]).ToList();
        File.WriteAllLines(path, chosen.Select(x => x.Line));
        return chosen.Select(x => x.Record.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>Writes <paramref name="perDomain"/> correctly answered held-out math and code problems to <paramref name="path"/>.</summary>
    public static void WriteQueries(string path, int perDomain) =>
        File.WriteAllLines(path, File.ReadLines(Path.Combine(DefaultFolder, "queries-math.jsonl")).Take(perDomain)
            .Concat(File.ReadLines(Path.Combine(DefaultFolder, "queries-code.jsonl")).Take(perDomain)));
}
