using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using Infra.Client.Pipeline;
using Infra.Contracts.Scoring.V1;

namespace Infra.Cli.Tests.Harness;

/// <summary>
/// What the end-to-end tests share: a temporary folder that is the CLI's working directory and the services' roots, the
/// environment a deployment would set (gradients and scoring addresses, batch size 1 so every example is computed alone
/// and a resumed or redistributed index computes bit-identical gradients, 16 projected dims), CLI runs that must succeed,
/// ScoringService and AggregationService processes over it, and the comparisons of their outputs.
/// </summary>
internal sealed class EndToEndRoot : IDisposable
{
    /// <param name="prefix">The temporary folder's name prefix, e.g. "infra-cli-e2e-".</param>
    public EndToEndRoot(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder (absolute).</summary>
    public string Path { get; }

    /// <summary><paramref name="name"/> under the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>The CLI's environment: Gradients:Address and Scoring:Address as given (one address or a list), batch size 1, projection 16.</summary>
    public static Dictionary<string, string?> Environment(string gradients, string scoring) => new()
    {
        ["INFRA_GRADIENTS__ADDRESS"] = gradients,
        ["INFRA_SCORING__ADDRESS"] = scoring,
        ["INFRA_BATCHSIZE"] = "1",
        ["INFRA_PROJECTIONDIM"] = "16",
    };

    /// <summary><paramref name="env"/> with Aggregation:Address set to <paramref name="aggregation"/>'s.</summary>
    public static Dictionary<string, string?> With(Dictionary<string, string?> env, ServiceProcess aggregation) =>
        new(env) { ["INFRA_AGGREGATION__ADDRESS"] = aggregation.Address.ToString() };

    /// <summary>A ScoringService over the store <paramref name="store"/> (under the folder) committing a shard file every <paramref name="shardExamples"/> examples.</summary>
    public Task<ServiceProcess> StartScoringAsync(string store, int shardExamples, int? port = null) =>
        ServiceProcess.StartAsync("Infra.Scoring", new Dictionary<string, string>
        {
            ["Scoring:StorePath"] = File(store),
            ["Scoring:ShardExamples"] = shardExamples.ToString(CultureInfo.InvariantCulture),
        }, port);

    /// <summary>An AggregationService over <paramref name="scoring"/> and <paramref name="gradients"/> (addresses or lists), its roots the folder.</summary>
    public Task<ServiceProcess> StartAggregationAsync(string gradients, string scoring) =>
        ServiceProcess.StartAsync("Infra.Aggregation", new Dictionary<string, string>
        {
            ["Aggregation:ScoringAddress"] = scoring,
            ["Aggregation:GradientAddress"] = gradients,
            // The CLI names folders and the corpus under the test's root; the service may only use paths under its roots.
            ["Aggregation:OutputRoot"] = Path,
            ["Aggregation:CorpusRoot"] = Path,
        });

    /// <summary>Runs the CLI in the folder.</summary>
    public Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string?> env) => CliRun.InvokeAsync(args, env, Path);

    /// <summary>Runs the CLI in the folder and asserts exit code 0.</summary>
    public async Task<CliRun> RunOkAsync(string[] args, IReadOnlyDictionary<string, string?> env)
    {
        var run = await RunAsync(args, env);
        Assert.True(run.ExitCode == 0, $"infra {string.Join(' ', args)}: {run}");
        return run;
    }

    /// <summary>Each query's top list of a query command's JSON file as "query: id=score,...", the scores' exact text.</summary>
    public static List<string> TopLists(string path)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        return document.RootElement.GetProperty("queries").EnumerateArray()
            .Select(q => q.GetProperty("query_id").GetString() + ": " + string.Join(",", q.GetProperty("top").EnumerateArray()
                .Select(t => t.GetProperty("example_id").GetString() + "=" + t.GetProperty("score").GetRawText())))
            .ToList();
    }

    /// <summary>Each shard lacks exactly the ids of the other partitions: the CLI's routing and <c>index --partition i/n</c> agree.</summary>
    public static async Task AssertEachShardHoldsItsPartitionAsync(IReadOnlyList<ServiceProcess> shards, IReadOnlyList<string> ids)
    {
        for (var i = 0; i < shards.Count; i++)
        {
            using var channel = GrpcChannel.ForAddress(shards[i].Address);
            var client = new ScoringService.ScoringServiceClient(channel);
            var missing = await client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { ids } });
            var held = ids.Except(missing.Ids).ToList();
            Assert.Equal(new CorpusPartition(i, shards.Count).Select(ids, id => id), held);
            Assert.Equal((ulong)held.Count, (await client.StoreInfoAsync(new StoreInfoRequest())).Examples);
        }
    }

    /// <summary>The error message of a failed --json run.</summary>
    public static string Message(CliRun run) => run.Json().GetProperty("error").GetProperty("message").GetString()!;
}
