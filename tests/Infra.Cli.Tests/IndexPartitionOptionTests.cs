using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;

namespace Infra.Cli.Tests;

/// <summary><c>infra index --partition i/n</c>: a value that is not a partition is a usage error before any file or service is touched.</summary>
public sealed class IndexPartitionOptionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-partition-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("2/2", "i must be below n")]
    [InlineData("0/0", "n must be at least 1")]
    [InlineData("half", "is not i/n")]
    public async Task A_bad_partition_exits_2_naming_the_problem(string partition, string message)
    {
        var corpus = Path.Combine(_root, "corpus.jsonl");
        await File.WriteAllTextAsync(corpus, """{"id":"a","domain":"math","difficulty":1,"prompt":"p","response":"r"}""" + "\n");
        var run = await CliRun.InvokeAsync(["index", corpus, "--partition", partition, "--scoring-address", "http://127.0.0.1:9", "--gradients-address", "http://127.0.0.1:9"],
            new Dictionary<string, string?>(), _root);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
