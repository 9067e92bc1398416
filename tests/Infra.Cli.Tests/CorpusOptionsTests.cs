using System.CommandLine;
using Infra.Cli.Corpora;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;
using Infra.Corpus;

namespace Infra.Cli.Tests;

/// <summary>The corpus-reading options of index/fit/query: parsed into reader options, and refusals exit before any service is called.</summary>
public sealed class CorpusOptionsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-corpus-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CorpusReaderOptions Parse(params string[] args)
    {
        var options = new CorpusOptions();
        var command = new Command("index");
        options.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return options.Read(parse, _root);
    }

    [Fact]
    public void Every_option_reaches_the_reader_options()
    {
        var read = Parse("--layout", "problem-solution", "--id-column", "uid", "--domain-column", "area", "--domain", "science",
            "--prompt-column", "q", "--response-column", "a", "--difficulty-column", "level", "--difficulty-map", "math-levels");
        Assert.Equal(CorpusLayout.ProblemSolution, read.Layout);
        Assert.Equal(new CorpusColumns { Id = "uid", Domain = "area", Prompt = "q", Response = "a", Difficulty = "level" }, read.Columns);
        Assert.Equal("science", read.Domain);
        Assert.Same(DifficultyMaps.MathLevels, read.DifficultyMapping);
        Assert.Equal(0, read.DifficultyBins);
        Assert.Equal(5, Parse("--difficulty-column", "rating", "--difficulty-bins", "5").DifficultyBins);
        Assert.Equal(new Dictionary<string, int> { ["easy"] = 1, ["hard"] = 3 }, Parse("--difficulty-map", "easy=1,hard=3").DifficultyMapping);
    }

    [Fact]
    public void No_options_read_the_lab_schema()
    {
        var read = Parse();
        Assert.Null(read.Layout);
        Assert.Equal(CorpusColumns.None, read.Columns);
        Assert.Null(read.DifficultyMapping);
    }

    [Theory]
    [InlineData("--difficulty-map", "apps", "--difficulty-bins", "3", "give either --difficulty-map or --difficulty-bins")]
    [InlineData("--difficulty-bins", "1", "", "", "--difficulty-bins must be at least 2")]
    [InlineData("--difficulty-map", "easy", "", "", "--difficulty-map: difficulty mapping 'easy' is not label=level")]
    [InlineData("--domain", " ", "", "", "--domain needs a non-empty name")]
    public async Task Contradicting_or_malformed_options_exit_2_before_any_service(string o1, string v1, string o2, string v2, string message)
    {
        var corpus = Path.Combine(_root, "c.jsonl");
        await File.WriteAllTextAsync(corpus, """{"id":"a","domain":"math","difficulty":1,"prompt":"p","response":"r"}""" + "\n");
        string[] args = ["index", corpus, o1, v1, .. o2.Length > 0 ? new[] { o2, v2 } : [], "--scoring-address", "http://127.0.0.1:9", "--gradients-address", "http://127.0.0.1:9"];
        var run = await CliRun.InvokeAsync(args, new Dictionary<string, string?>(), _root);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_without_a_mapping_exits_4_naming_row_column_and_value_before_any_service()
    {
        var corpus = Path.Combine(_root, "apps.jsonl");
        await File.WriteAllLinesAsync(corpus,
        [
            """{"question":"q1","solutions":"s1","difficulty":"interview"}""",
            """{"question":"q2","solutions":"s2","difficulty":"olympiad"}""",
        ]);
        var run = await CliRun.InvokeAsync(
            ["index", corpus, "--response-column", "solutions", "--domain", "code", "--difficulty-map", "apps", "--scoring-address", "http://127.0.0.1:9", "--gradients-address", "http://127.0.0.1:9"],
            new Dictionary<string, string?>(), _root);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("line 2: label \"olympiad\" in column 'difficulty' has no mapping", run.Error, StringComparison.Ordinal);
    }
}
