using System.Globalization;
using System.Text;
using Infra.Core.IO;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Bench.Scoring;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Bench.Load;

/// <summary>
/// The load benchmark (issue 13): on three loopback services over the default model's store, closed-loop clients mixing
/// TopK and Influence (AggregationService, exact rerank through the GradientService) and ScoreTokens (ScoringService), side by
/// side in one run: one client vs <c>--clients</c> (32), then the same readers while an Ingest writer streams into the store.
/// Reports calls/s, p50, p99 and errors per phase and the two ratios the issue targets.
/// </summary>
internal static class LoadBenchmark
{
    public const string Usage = "usage: load [--quick] [--seconds N] [--clients N] [--examples N] [--candidates N] [--rerank exact|none] [--out FOLDER]";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = args.Contains("--quick");
        var seconds = Option(args, "--seconds", quick ? 10 : 60);
        var clients = Option(args, "--clients", 32);
        var examples = Option(args, "--examples", quick ? 48 : 112);
        var candidates = Option(args, "--candidates", 8);
        // exact (the default): TopK and Influence rerank their candidates through the GradientService; none: stage 1 only, store reads alone.
        var rerank = OptionText(args, "--rerank") == "none" ? RerankMode.None : RerankMode.Exact;
        var output = OptionText(args, "--out") ?? ResultsFolder.Locate();
        var machine = MachineInfo.Capture(quick);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine(line);

        await using var services = await LoadServices.StartAsync(examples, queries: 4, Log).ConfigureAwait(false);
        var channelOptions = new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 };
        using var aggregationChannel = GrpcChannel.ForAddress(services.AggregationAddress, channelOptions);
        using var scoringChannel = GrpcChannel.ForAddress(services.ScoringAddress, channelOptions);
        var aggregation = new AggregationService.AggregationServiceClient(aggregationChannel);
        var scoring = new ScoringService.ScoringServiceClient(scoringChannel);
        var queryIds = services.Queries.Select(q => q.Id).ToList();
        var exampleIds = services.Training.Select(e => e.Id).ToList();

        // The mix: TopK, ScoreTokens, Influence in turn, each client starting at its own place in the cycle.
        async Task<string> Mixed(int client, int call, CancellationToken token)
        {
            var query = queryIds[(client + call) % queryIds.Count];
            switch ((client + call) % 3)
            {
                case 0:
                    await aggregation.TopKAsync(new TopKRequest
                    {
                        Queries = new QuerySelection { QuerySet = LoadServices.QuerySet, QueryIds = { query }, Candidates = (uint)candidates, Rerank = rerank }, K = 5,
                    }, cancellationToken: token).ConfigureAwait(false);
                    return "TopK";
                case 1:
                    using (var tokens = scoring.ScoreTokens(new ScoreTokensRequest
                    {
                        QuerySet = LoadServices.QuerySet, ExampleIds = { exampleIds[(client * 7 + call) % exampleIds.Count] },
                    }, cancellationToken: token))
                    {
                        while (await tokens.ResponseStream.MoveNext(token).ConfigureAwait(false))
                        {
                        }
                    }
                    return "ScoreTokens";
                default:
                    await aggregation.InfluenceAsync(new InfluenceRequest
                    {
                        QuerySet = LoadServices.QuerySet, QueryId = query, TopExamples = 5, TopSequences = 5, TopTokens = 10, Candidates = (uint)candidates, Rerank = rerank,
                    }, cancellationToken: token).ConfigureAwait(false);
                    return "Influence";
            }
        }

        var duration = TimeSpan.FromSeconds(seconds);
        Log($"[warm-up] {Math.Min(5, seconds)} s");
        await LoadPhaseResult.RunAsync("warm-up", 2, TimeSpan.FromSeconds(Math.Min(5, seconds)), Mixed).ConfigureAwait(false);
        Log($"[phase] 1 client, {seconds} s");
        var single = await LoadPhaseResult.RunAsync("1 client", 1, duration, Mixed).ConfigureAwait(false);
        Log($"[phase] {clients} clients, {seconds} s");
        var many = await LoadPhaseResult.RunAsync($"{clients} clients", clients, duration, Mixed).ConfigureAwait(false);
        Log($"[phase] {clients} clients with an ongoing Ingest, {seconds} s");
        var writer = new IngestWriter(scoring, services.Schema, services.SpareGradients);
        using var stopWriter = new CancellationTokenSource();
        var writing = writer.RunAsync(stopWriter.Token);
        var withIngest = await LoadPhaseResult.RunAsync($"{clients} clients + ingest", clients, duration, Mixed,
            background: null).ConfigureAwait(false);
        await stopWriter.CancelAsync().ConfigureAwait(false);
        await writing.ConfigureAwait(false);
        withIngest = withIngest with { Background = writer.Describe(duration) };

        var phases = new[] { single, many, withIngest };
        var ratios = new Dictionary<string, double>
        {
            [$"calls/s {clients} clients / 1 client (target >= 1.7)"] = many.CallsPerSecond / single.CallsPerSecond,
            ["read p99 with ingest / without (target <= 1.5)"] = withIngest.P99Ms / many.P99Ms,
            ["errors in all phases (target 0)"] = phases.Sum(p => p.Errors),
        };
        var finished = machine with { LoadAverageAtEnd = MachineInfo.LoadAverage(), WallSeconds = clock.Elapsed.TotalSeconds };
        var setup = new Dictionary<string, object>
        {
            ["store_examples"] = examples, ["queries"] = services.Queries.Count, ["projection"] = "32 x 32", ["candidates"] = candidates, ["rerank"] = rerank.ToString(),
            ["seconds_per_phase"] = seconds, ["clients"] = clients, ["model"] = "models/default (Qwen2, 4 layers, hidden 128), CPU",
            ["mix"] = "TopK (k 5) / ScoreTokens (1 example) / Influence (query set) in turn; closed loop: a phase ends when its last call in flight does",
        };
        Directory.CreateDirectory(output);
        // One file pair per mode, so a run of one does not overwrite the other's figures.
        var name = rerank == RerankMode.None ? "load-stage1" : "load";
        await File.WriteAllTextAsync(Path.Combine(output, name + ".json"),
            ProjectJson.Serialize(new { machine = finished, setup, results = phases, ratios }, ReportWriter.FormatVersion)).ConfigureAwait(false);
        var markdown = Markdown(finished, setup, phases, ratios);
        await File.WriteAllTextAsync(Path.Combine(output, name + ".md"), markdown).ConfigureAwait(false);
        Console.WriteLine(markdown);
        return 0;
    }

    private static string Markdown(MachineInfo machine, Dictionary<string, object> setup, IReadOnlyList<LoadPhaseResult> phases, Dictionary<string, double> ratios)
    {
        var ic = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Load benchmark").AppendLine();
        md.AppendLine(ic, $"{machine.Cpu}, {machine.Cores} cores; {machine.Os}; {machine.Runtime}; {machine.Date}; load average {machine.LoadAverageAtStart} -> {machine.LoadAverageAtEnd}; quick: {machine.Quick}").AppendLine();
        md.AppendLine(string.Join("; ", setup.Select(kv => $"{kv.Key}: {kv.Value}"))).AppendLine();
        md.AppendLine("| phase | clients | calls | calls/s | p50 ms | p99 ms | errors | p50 ms by call | background |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var p in phases)
        {
            var byCall = string.Join(", ", p.P50MsByCall.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value.ToString("F0", ic)}"));
            var errors = p.Errors == 0 ? "0" : $"{p.Errors} ({string.Join(", ", p.ErrorsByStatus.Select(kv => $"{kv.Key} {kv.Value}"))})";
            md.AppendLine(ic, $"| {p.Name} | {p.Clients} | {p.Calls} | {p.CallsPerSecond:F2} | {p.P50Ms:F0} | {p.P99Ms:F0} | {errors} | {byCall} | {p.Background ?? ""} |");
        }
        md.AppendLine().AppendLine("| ratio | value |").AppendLine("|---|---:|");
        foreach (var (name, value) in ratios) md.AppendLine(ic, $"| {name} | {value:F2} |");
        return md.ToString();
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Streams the spare examples into the store, again and again under fresh ids, one Ingest call per round, until stopped.</summary>
    private sealed class IngestWriter(ScoringService.ScoringServiceClient scoring, IngestHeader schema, IReadOnlyList<ComputeGradientsResponse> gradients)
    {
        private int _rounds;
        private long _stored;
        private int _errors;

        public async Task RunAsync(CancellationToken token)
        {
            while (!token.IsCancellationRequested)
            {
                var round = _rounds++;
                try
                {
                    using var call = scoring.Ingest(cancellationToken: token);
                    await call.RequestStream.WriteAsync(new IngestRequest { Header = schema }, token).ConfigureAwait(false);
                    foreach (var m in gradients) await call.RequestStream.WriteAsync(new IngestRequest { Gradient = Renamed(m, round) }, token).ConfigureAwait(false);
                    await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                    _stored += (long)(await call.ResponseAsync.ConfigureAwait(false)).Stored;
                }
                catch (RpcException) when (token.IsCancellationRequested)
                {
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                }
                catch (RpcException)
                {
                    _errors++;
                }
            }
        }

        public string Describe(TimeSpan duration) =>
            string.Create(CultureInfo.InvariantCulture, $"Ingest: {_rounds} calls, {_stored} examples stored ({_stored / duration.TotalSeconds:F1}/s), {_errors} errors");

        private static ComputeGradientsResponse Renamed(ComputeGradientsResponse message, int round)
        {
            var copy = message.Clone();
            var suffix = string.Create(CultureInfo.InvariantCulture, $"-load{round}");
            switch (copy.ItemCase)
            {
                case ComputeGradientsResponse.ItemOneofCase.Header: copy.Header.Id += suffix; break;
                case ComputeGradientsResponse.ItemOneofCase.Chunk: copy.Chunk.ExampleId += suffix; break;
                case ComputeGradientsResponse.ItemOneofCase.Done: copy.Done.Id += suffix; break;
            }
            return copy;
        }
    }
}
