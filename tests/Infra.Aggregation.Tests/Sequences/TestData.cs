using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Corpus;

namespace Infra.Aggregation.Tests.Sequences;

/// <summary>The real default model's tokenizer and a small generated lab corpus, shared by the tests.</summary>
internal static class TestData
{
    private static readonly Lazy<HfTokenizer> LazyTokenizer = new(() => HfTokenizer.LoadFolder(Path.Combine(DefaultModelFolder, "model")));
    private static readonly Lazy<BuiltCorpus> LazyCorpus = new(() => CorpusBuilder.Build(new CorpusBuildOptions
    {
        Seed = 7,
        TrainCount = 300,
        HeldOutCount = 0,
        QueriesPerDomain = 0,
        ExplorationShare = 0.5,
    }));

    public static string DefaultModelFolder => Path.Combine(RepoRoot(), "models", "default");

    public static HfTokenizer Tokenizer => LazyTokenizer.Value;

    /// <summary>300 generated examples, half math, half code; half of them carry tagged behaviour.</summary>
    public static IReadOnlyList<LabExample> Corpus => LazyCorpus.Value.Train;

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Infra.Services.sln above {AppContext.BaseDirectory}");
    }
}
