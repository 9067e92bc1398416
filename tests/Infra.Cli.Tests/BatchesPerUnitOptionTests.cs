using System.CommandLine;
using System.Text.RegularExpressions;
using Infra.Cli.Commands;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;

namespace Infra.Cli.Tests;

/// <summary>
/// <c>infra index --batches-per-unit N</c>: read into IndexSettings.BatchesPerUnit (default 4), documented in the help,
/// and a value below 1 or not a number is a usage error before any file or service is touched.
/// </summary>
public sealed class BatchesPerUnitOptionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-units-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(new string[0], 4)]
    [InlineData(new[] { "--batches-per-unit", "1" }, 1)]
    [InlineData(new[] { "--batches-per-unit", "16" }, 16)]
    public void The_value_is_read_with_4_by_default(string[] args, int expected)
    {
        var option = new BatchesPerUnitOption();
        var command = new Command("index");
        option.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(expected, option.Read(parse));
    }

    [Theory]
    [InlineData("0", "--batches-per-unit must be at least 1 (got 0)")]
    [InlineData("-2", "--batches-per-unit must be at least 1 (got -2)")]
    [InlineData("two", "Cannot parse argument 'two' for option '--batches-per-unit'")]
    public async Task A_bad_value_exits_2_naming_the_problem_before_any_service(string value, string message)
    {
        var corpus = Path.Combine(_root, "corpus.jsonl");
        await File.WriteAllTextAsync(corpus, """{"id":"a","domain":"math","difficulty":1,"prompt":"p","response":"r"}""" + "\n");
        // Nothing listens on port 9: a run that got as far as the services would exit 3 (unavailable), not 2.
        var run = await CliRun.InvokeAsync(["index", corpus, "--batches-per-unit", value, "--scoring-address", "http://127.0.0.1:9",
            "--gradients-address", "http://127.0.0.1:9,http://127.0.0.1:10"], new Dictionary<string, string?>(), _root);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("--batches-per-unit", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_value_is_accepted_and_the_run_goes_on_to_the_services()
    {
        var corpus = Path.Combine(_root, "corpus.jsonl");
        await File.WriteAllTextAsync(corpus, """{"id":"a","domain":"math","difficulty":1,"prompt":"p","response":"r"}""" + "\n");
        var run = await CliRun.InvokeAsync(["index", corpus, "--batches-per-unit", "2", "--scoring-address", "http://127.0.0.1:9",
            "--gradients-address", "http://127.0.0.1:9,http://127.0.0.1:10"], new Dictionary<string, string?>(), _root);
        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
        Assert.DoesNotContain("--batches-per-unit", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_help_documents_the_option_and_what_it_trades()
    {
        var help = await CliRun.InvokeAsync(["index", "--help"], new Dictionary<string, string?>(), _root);
        Assert.Equal(0, help.ExitCode);
        var text = Regex.Replace(help.Out, @"\s+", " ");
        Assert.Contains("--batches-per-unit", text, StringComparison.Ordinal);
        Assert.Contains("smaller units balance the workers better and redo less after a worker dies, larger ones make fewer calls", text, StringComparison.Ordinal);
        Assert.Contains("[default: 4]", text, StringComparison.Ordinal);
    }
}
