using System.Net;
using System.Net.Sockets;
using Infra.Cli.Terminal;
using Infra.Cli.Tests.Harness;

namespace Infra.Cli.Tests;

/// <summary>Exit codes and --json output of the real command tree on bad input, unreachable services and usage errors.</summary>
public sealed class CliExitCodeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-exit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<CliRun> RunAsync(params string[] args) => CliRun.InvokeAsync(args, new Dictionary<string, string?>(), _root);

    private string WriteCorpus(string name, params string[] lines)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private const string GoodLine = """{"id":"m1","domain":"math","difficulty":1,"prompt":"1 + 1?","response":"The answer is 2."}""";

    [Fact]
    public async Task A_missing_corpus_file_exits_4_naming_it()
    {
        var run = await RunAsync("index", "missing.jsonl");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(Path.Combine(_root, "missing.jsonl"), run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_JSONL_line_exits_4_with_its_line_number_in_text_and_json()
    {
        var corpus = WriteCorpus("bad.jsonl", GoodLine, """{"id":"m2","domain":"physics","difficulty":-1,"prompt":"p","response":"r"}""", "{ broken");
        var text = await RunAsync("index", corpus);
        Assert.Equal(ExitCodes.BadInput, text.ExitCode);
        Assert.Contains("line 2: difficulty -1 in column 'difficulty' is not a level", text.Error, StringComparison.Ordinal);
        Assert.Contains("line 3: invalid JSON", text.Error, StringComparison.Ordinal);

        var json = await RunAsync("index", corpus, "--json");
        Assert.Equal(ExitCodes.BadInput, json.ExitCode);
        var error = json.Json().GetProperty("error");
        Assert.Equal(ExitCodes.BadInput, error.GetProperty("exit_code").GetInt32());
        var details = error.GetProperty("details").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Equal(2, details.Count);
        Assert.StartsWith("line 2: difficulty -1 in column 'difficulty' is not a level", details[0], StringComparison.Ordinal);
        Assert.StartsWith("line 3: invalid JSON", details[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aggregate")]
    [InlineData("report")]
    [InlineData("reweight")]
    public async Task Aggregation_commands_exit_3_naming_an_unreachable_AggregationService(string command)
    {
        var address = $"http://127.0.0.1:{ClosedPort()}";
        var run = await RunAsync(command, "--set", "held-out", "--aggregation-address", address, "--json");
        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
        Assert.StartsWith($"AggregationService at {address}/ is unavailable", run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregation_commands_reject_bad_flags_with_exit_2_before_calling_anything()
    {
        var normalized = await RunAsync("aggregate", "--set", "s", "--normalized");
        Assert.Equal(ExitCodes.Usage, normalized.ExitCode);
        Assert.Contains("--normalized needs --preconditioner", normalized.Error, StringComparison.Ordinal);
        var strategy = await RunAsync("reweight", "--strategy", "uniform");
        Assert.Equal(ExitCodes.Usage, strategy.ExitCode);
        var fraction = await RunAsync("reweight", "--strategy", "top-fraction", "--fraction", "1.5");
        Assert.Equal(ExitCodes.Usage, fraction.ExitCode);
        Assert.Contains("--fraction must be in (0, 1]", fraction.Error, StringComparison.Ordinal);
        var resample = await RunAsync("reweight", "--resample");
        Assert.Equal(ExitCodes.Usage, resample.ExitCode);
        Assert.Contains("--resample needs --corpus", resample.Error, StringComparison.Ordinal);
        var heatMaps = await RunAsync("report", "--heat-maps", "0");
        Assert.Equal(ExitCodes.Usage, heatMaps.ExitCode);
    }

    [Fact]
    public async Task An_unreachable_service_exits_3_with_its_address()
    {
        var corpus = WriteCorpus("good.jsonl", GoodLine);
        var address = $"http://127.0.0.1:{ClosedPort()}";
        var index = await RunAsync("index", corpus, "--scoring-address", address);
        Assert.Equal(ExitCodes.Unavailable, index.ExitCode);
        Assert.Contains($"ScoringService at {address}/ is unavailable", index.Error, StringComparison.Ordinal);

        var health = await RunAsync("health", "--service", "Scoring", "--scoring-address", address, "--json", "--timeout", "3");
        Assert.Equal(ExitCodes.Unavailable, health.ExitCode);
        var document = health.Json();
        Assert.False(document.GetProperty("healthy").GetBoolean());
        var service = Assert.Single(document.GetProperty("services").EnumerateArray());
        Assert.Equal("scoring", service.GetProperty("service").GetString());
        Assert.Equal($"{address}/", service.GetProperty("address").GetString());
        Assert.False(service.GetProperty("serving").GetBoolean());
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Assert.Equal(ExitCodes.Usage, (await RunAsync("no-such-command")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("fit")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("query", "--prompt", "only a prompt")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("health", "--batch-size", "zero")).ExitCode);
        var run = await RunAsync("fit", "--kind", "ekfac", "--factors", "x", "--json", "--projection-dim", "-1");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("ProjectionDim (--projection-dim, INFRA_PROJECTIONDIM)", run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
