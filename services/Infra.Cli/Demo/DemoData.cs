using Infra.Cli.Lab;
using Infra.Client.Corpus;
using Infra.Contracts.Gradients.V1;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Lab.Schema;

namespace Infra.Cli.Demo;

/// <summary>
/// The demo's training examples and queries: a sample of the default model's training split, balanced over domain x
/// difficulty, and the held-out problems that model answers correctly (with the correct answer as the response).
/// Without a built default (models/default/corpus) both come from a small lab corpus generated on the spot.
/// </summary>
internal sealed record DemoData(IReadOnlyList<CorpusRecord> TrainingRecords, IReadOnlyList<Example> Queries, string Source)
{
    /// <summary>The training records as the GradientService's examples.</summary>
    public IReadOnlyList<Example> Training { get; } = TrainingRecords.Select(CorpusExamples.ToExample).ToList();

    /// <summary>Seed of the fallback corpus; the default model's own seed, so the two agree in kind.</summary>
    private const int FallbackSeed = 20250525;

    /// <summary>
    /// <paramref name="examples"/> training examples and <paramref name="queries"/> queries from
    /// <paramref name="defaultFolder"/> (a <c>lab build-default</c> output) when it has a corpus, else generated.
    /// </summary>
    public static DemoData Load(string? defaultFolder, int examples, int queries)
    {
        if (defaultFolder is null || !Directory.Exists(Path.Combine(defaultFolder, DefaultModelFiles.Corpus))) return Generated(examples, queries);
        var corpus = Path.Combine(defaultFolder, DefaultModelFiles.Corpus);

        // The full split when it is there (a local build), the committed balanced sample otherwise.
        var train = Path.Combine(corpus, CorpusFiles.Train);
        var records = Read(File.Exists(train) ? train : Path.Combine(corpus, DefaultModelFiles.TrainSample));
        var correct = Read(Path.Combine(defaultFolder, DefaultModelFiles.MathQueries))
            .Concat(Read(Path.Combine(defaultFolder, DefaultModelFiles.CodeQueries))).ToList();
        var source = $"{corpus} and the held-out problems the default model answers correctly";
        if (correct.Count == 0)
        {
            correct = Read(Path.Combine(corpus, CorpusFiles.HeldOut)).ToList();
            source = $"{corpus} (held-out problems: no correctly answered query set found)";
        }
        return new DemoData(BalancedRecords(records, examples), Balanced(correct, queries), source);
    }

    private static DemoData Generated(int examples, int queries)
    {
        var built = CorpusBuilder.Build(new CorpusBuildOptions
        {
            Seed = FallbackSeed,
            TrainCount = Math.Max(examples, 10),
            HeldOutCount = Math.Max(queries, 10),
            QueriesPerDomain = 0,
        });
        return new DemoData(BalancedRecords(built.Train.Select(LabRecords.ToRecord), examples), Balanced(built.HeldOut.Select(LabRecords.ToRecord), queries),
            "a small generated lab corpus (no models/default/corpus)");
    }

    private static IEnumerable<CorpusRecord> Read(string path) =>
        File.Exists(path) ? CorpusReader.ReadFile(path).Records : [];

    private static List<CorpusRecord> BalancedRecords(IEnumerable<CorpusRecord> records, int count) =>
        CellBalance.RoundRobin(records, r => (r.Domain, r.Difficulty), count).ToList();

    private static List<Example> Balanced(IEnumerable<CorpusRecord> records, int count) => BalancedRecords(records, count).Select(CorpusExamples.ToExample).ToList();
}
