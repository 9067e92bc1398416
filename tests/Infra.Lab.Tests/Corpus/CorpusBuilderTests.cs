using System.Globalization;
using System.Text.Json;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Lab.Schema;

namespace Infra.Lab.Tests.Corpus;

public sealed class CorpusBuilderTests : IDisposable
{
    private static readonly CorpusBuildOptions Small = new() { TrainCount = 400, HeldOutCount = 100, QueriesPerDomain = 20 };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "infra-lab-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string WriteCorpus(string name, CorpusBuildOptions options)
    {
        var folder = Path.Combine(_root, name);
        CorpusFolder.Write(CorpusBuilder.Build(options), folder);
        return folder;
    }

    private static byte[] Bytes(string folder, string file) => File.ReadAllBytes(Path.Combine(folder, file));

    [Fact]
    public void The_same_seed_gives_byte_identical_files_even_under_another_culture()
    {
        var first = WriteCorpus("a", Small);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a different minus sign and decimal separator must not leak into the files.
            CultureInfo.CurrentCulture = new CultureInfo("fa-IR");
            var second = WriteCorpus("b", Small);
            foreach (var file in new[] { CorpusFiles.Train, CorpusFiles.HeldOut, CorpusFiles.MathQueries, CorpusFiles.CodeQueries, CorpusFiles.Manifest })
            {
                Assert.Equal(Bytes(first, file), Bytes(second, file));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_different_seed_gives_different_files()
    {
        var first = WriteCorpus("a", Small);
        var second = WriteCorpus("b", new CorpusBuildOptions { Seed = 7, TrainCount = 400, HeldOutCount = 100, QueriesPerDomain = 20 });
        Assert.NotEqual(Bytes(first, CorpusFiles.Train), Bytes(second, CorpusFiles.Train));
        Assert.NotEqual(Bytes(first, CorpusFiles.HeldOut), Bytes(second, CorpusFiles.HeldOut));
    }

    [Fact]
    public void Default_splits_are_disjoint_balanced_and_correct()
    {
        var corpus = CorpusBuilder.Build();
        Assert.Equal(4000, corpus.Train.Count);
        Assert.Equal(400, corpus.HeldOut.Count);
        Assert.Empty(corpus.Train.Select(e => e.Id).Intersect(corpus.HeldOut.Select(e => e.Id)));
        Assert.Empty(corpus.Train.Select(e => e.Prompt).Intersect(corpus.HeldOut.Select(e => e.Prompt)));
        Assert.Equal(4400, corpus.Train.Concat(corpus.HeldOut).Select(e => e.Prompt).Distinct().Count());
        foreach (var (split, perCell) in new[] { (corpus.Train, 400), (corpus.HeldOut, 40) })
        {
            var cells = split.GroupBy(e => (e.Domain, e.Difficulty)).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(10, cells.Count);
            Assert.All(cells.Values, count => Assert.Equal(perCell, count));
        }
        Assert.All(corpus.Train.Concat(corpus.HeldOut), e => Assert.True(AnswerChecker.Check(e).Correct, e.Id));
    }

    [Fact]
    public void Query_sets_are_held_out_problems_spread_over_difficulties()
    {
        var corpus = CorpusBuilder.Build(Small);
        var heldOut = corpus.HeldOut.Select(e => e.Id).ToHashSet();
        foreach (var (queries, domain) in new[] { (corpus.MathQueries, ReasoningDomain.Math), (corpus.CodeQueries, ReasoningDomain.Code) })
        {
            Assert.Equal(20, queries.Count);
            Assert.All(queries, q => Assert.True(q.Domain == domain && heldOut.Contains(q.Id)));
            Assert.All(queries.GroupBy(q => q.Difficulty), g => Assert.Equal(4, g.Count()));
        }
    }

    [Fact]
    public void The_manifest_records_seed_version_and_counts_and_the_files_read_back_valid()
    {
        var options = new CorpusBuildOptions { Seed = 11, TrainCount = 103, HeldOutCount = 30, MathShare = 0.6, QueriesPerDomain = 5 };
        var folder = WriteCorpus("m", options);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, CorpusFiles.Manifest)));
        var root = manifest.RootElement;
        Assert.Equal(CorpusFiles.GeneratorVersion, root.GetProperty("generator").GetString());
        Assert.Equal(11, root.GetProperty("seed").GetInt32());
        var train = root.GetProperty("counts").GetProperty("train");
        Assert.Equal(103, train.GetProperty("total").GetInt32());
        Assert.Equal([13, 13, 12, 12, 12], Enumerable.Range(1, 5).Select(d => train.GetProperty("math").GetProperty(d.ToString(CultureInfo.InvariantCulture)).GetInt32()));
        Assert.Equal([9, 8, 8, 8, 8], Enumerable.Range(1, 5).Select(d => train.GetProperty("code").GetProperty(d.ToString(CultureInfo.InvariantCulture)).GetInt32()));
        foreach (var file in new[] { CorpusFiles.Train, CorpusFiles.HeldOut, CorpusFiles.MathQueries, CorpusFiles.CodeQueries })
        {
            var read = CorpusReader.ReadFile(Path.Combine(folder, file));
            Assert.True(read.IsValid, string.Join("\n", read.Errors));
            Assert.All(read.Records, r => Assert.True(LabRecords.Check(r).Correct, r.Id));
        }
    }

    [Fact]
    public void Asking_for_more_queries_than_held_out_problems_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CorpusBuilder.Build(new CorpusBuildOptions { TrainCount = 10, HeldOutCount = 10, QueriesPerDomain = 6 }));
        Assert.Contains("held-out split has only 5", error.Message, StringComparison.Ordinal);
    }
}
