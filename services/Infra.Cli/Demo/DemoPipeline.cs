using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Checkpoints;
using Infra.Core.Scoring;
using Infra.Gradients.Hosting;
using Infra.Cli.Lab;
using Infra.Torch.Model;

namespace Infra.Cli.Demo;

/// <summary>
/// The demo pipeline over real gRPC on loopback: start the GradientService, stream the corpus's
/// projected example gradients, fit full-space EK-FAC (two passes), compute preconditioned query
/// gradients for held-out problems, score every training example against every query, and write
/// the results. Stops the service when done.
/// </summary>
internal sealed class DemoPipeline(DemoOptions options, TextWriter output)
{
    /// <summary>The demo's model when none is given: a tiny Qwen2 (2 layers, hidden 64) with the byte-level tokenizer.</summary>
    public static readonly HfModelConfig DefaultConfig = new()
    {
        ModelType = "qwen2",
        HiddenSize = 64,
        IntermediateSize = 128,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        VocabSize = SeededCheckpoint.ByteLevelVocabSize,
        MaxPositionEmbeddings = 1024,
        RopeTheta = 1_000_000,
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Domains = ["math", "code"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputPath);
        var modelPath = ResolveModel();

        var settings = new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = modelPath,
            ["Gradients:Device"] = options.Device,
            ["Gradients:FactorsPath"] = Path.Combine(options.OutputPath, "factors"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var (app, address) = await GradientServiceHost.StartLoopbackAsync(settings, cancellationToken).ConfigureAwait(false);
        await using var _ = app.ConfigureAwait(false);
        output.WriteLine($"[service] GradientService listening on {address}");
        using var channel = GrpcChannel.ForAddress(address);
        var client = new GradientService.GradientServiceClient(channel);
        var projection = new ProjectionSpec { KIn = (uint)options.ProjectionDim, KOut = (uint)options.ProjectionDim, Seed = 0 };
        var info = await client.GetModelInfoAsync(new GetModelInfoRequest { Projection = projection }, cancellationToken: cancellationToken).ConfigureAwait(false);
        output.WriteLine($"[model] {info.ModelType}, {info.NumHiddenLayers} layers, {info.Layers.Count} tracked MLP projections, {info.Device}, fingerprint {info.Fingerprint[..12]}");

        var data = DemoData.Load(options.DefaultModelFolder, options.Examples, options.Queries);
        var (corpus, queries) = (data.Training, data.Queries);
        output.WriteLine($"[corpus] {corpus.Count} training examples and {queries.Count} queries from {data.Source}");

        var index = await IndexAsync(client, corpus, projection, cancellationToken).ConfigureAwait(false);
        const string factorsName = "demo";
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
            await FitAsync(client, factorsName, phase, corpus, cancellationToken).ConfigureAwait(false);

        var request = new ComputeQueryGradientsRequest { Projection = projection, FactorsName = factorsName };
        request.Queries.AddRange(queries);
        var queryGradients = new QueryGradientAssembler();
        using (var call = client.ComputeQueryGradients(request, cancellationToken: cancellationToken))
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                queryGradients.Accept(chunk);
        }
        output.WriteLine($"[query] {queries.Count} held-out problems, EK-FAC-preconditioned query gradients");

        var results = Score(corpus, queries, index, queryGradients, info.Layers.Count);
        Report(results, corpus);
        var path = Path.Combine(options.OutputPath, "influence.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Indented), cancellationToken).ConfigureAwait(false);
        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"[done] {clock.Elapsed.TotalSeconds:F1} s; scores in {path}; EK-FAC factors in {Path.Combine(options.OutputPath, "factors", factorsName)}");
        return 0;
    }

    // An explicit --model wins (seeded when absent, as before); otherwise the trained default, and only without one
    // the seeded untrained model, said loudly since its influence scores mean little.
    private string ResolveModel()
    {
        var trained = options.DefaultModelFolder is { } folder ? Path.Combine(folder, DefaultModelFiles.Model) : null;
        var path = options.ModelPath ?? (trained is not null && HasCheckpoint(trained) ? trained : options.SeededModelPath);
        if (path == trained)
        {
            output.WriteLine($"[model] the trained default model in {path}");
        }
        else if (!HasCheckpoint(path))
        {
            if (options.ModelPath is null)
                output.WriteLine($"[model] no trained default model ({trained ?? "not in a checkout"}); run `infra lab build-default` to build one");
            output.WriteLine($"[model] writing a seeded UNTRAINED tiny Qwen2 checkpoint to {path}");
            SeededCheckpoint.Write(path, DefaultConfig, seed: 1);
        }
        return path;
    }

    private static bool HasCheckpoint(string folder) => File.Exists(Path.Combine(folder, "config.json"));

    private async Task<Dictionary<string, ReceivedExample>> IndexAsync(GradientService.GradientServiceClient client, IReadOnlyList<Example> corpus,
        ProjectionSpec projection, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        using var call = client.ComputeGradients(cancellationToken: token);
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest
            {
                Options = new GradientOptions { Projection = projection, IncludeExampleGradient = true, Dtype = WireDType.Bfloat16 },
            }, token).ConfigureAwait(false);
            foreach (var e in corpus)
                await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e }, token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }, token);
        var assembler = new ExampleAssembler();
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var received = new Dictionary<string, ReceivedExample>(StringComparer.Ordinal);
        long bytes = 0;
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (assembler.Accept(message) is { } done)
            {
                received[done.Header.Id] = done;
                bytes += done.PayloadBytes;
            }
            else if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Progress && interactive)
            {
                output.Write($"\r[index] {message.Progress.ExamplesDone}/{corpus.Count} examples, {message.Progress.TokensPerSecond:F0} tokens/s   ");
            }
        }
        await sending.ConfigureAwait(false);
        output.WriteLine($"{(interactive ? "\r" : "")}[index] {received.Count} examples, {bytes / 1024.0:F0} KiB of bf16 example gradients in {clock.Elapsed.TotalSeconds:F1} s");
        return received;
    }

    private async Task FitAsync(GradientService.GradientServiceClient client, string name, FitPhase phase, IReadOnlyList<Example> corpus, CancellationToken token)
    {
        using var call = client.FitFactors(cancellationToken: token);
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new FitFactorsRequest { Options = new FitFactorsOptions { Name = name, Phase = phase, Overwrite = true } }, token).ConfigureAwait(false);
            foreach (var e in corpus)
                await call.RequestStream.WriteAsync(new FitFactorsRequest { Example = e }, token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }, token);
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (message.ItemCase == FitFactorsResponse.ItemOneofCase.Summary)
                output.WriteLine($"[ekfac] {phase}: {message.Summary.Examples} examples, {message.Summary.Tokens} tokens");
        }
        await sending.ConfigureAwait(false);
    }

    private static List<QueryInfluence> Score(IReadOnlyList<Example> corpus, IReadOnlyList<Example> queries, Dictionary<string, ReceivedExample> index,
        QueryGradientAssembler queryGradients, int layers)
    {
        var results = new List<QueryInfluence>();
        foreach (var query in queries)
        {
            var q = Enumerable.Range(0, layers).Select(l => queryGradients.Gradients[query.Id][l]).ToList();
            var scores = corpus.Select(e =>
            {
                var g = Enumerable.Range(0, layers).Select(l => index[e.Id].Factors[(l, FactorKind.ExampleGradient)]).ToList();
                return new ExampleInfluence(e.Id, e.Domain, e.Difficulty, InfluenceScore.Example(q, g));
            }).OrderByDescending(s => s.Score).ToList();
            results.Add(new QueryInfluence(query.Id, query.Domain, queryGradients.Measurements[query.Id], scores));
        }
        return results;
    }

    private void Report(List<QueryInfluence> results, IReadOnlyList<Example> corpus)
    {
        foreach (var r in results)
        {
            var top = string.Join(", ", r.Scores.Take(3).Select(s => $"{s.Id} ({s.Score.ToString("G3", CultureInfo.InvariantCulture)})"));
            output.WriteLine($"[influence] {r.QueryId} (f = {r.Measurement:F3}): most helpful {top}");
        }
        output.WriteLine("[influence] mean score by query domain x training domain:");
        foreach (var queryDomain in Domains)
        {
            var cells = Domains.Select(trainDomain =>
            {
                var values = results.Where(r => r.QueryDomain == queryDomain).SelectMany(r => r.Scores.Where(s => s.Domain == trainDomain)).Select(s => s.Score).ToList();
                return $"{trainDomain}: {(values.Count == 0 ? double.NaN : values.Average()).ToString("G3", CultureInfo.InvariantCulture),10}";
            });
            output.WriteLine($"            {queryDomain} queries <- {string.Join("   ", cells)}");
        }
        output.WriteLine($"[influence] {corpus.Count} training examples x {results.Count} queries scored");
    }

    private sealed record ExampleInfluence(string Id, string Domain, int Difficulty, double Score);

    private sealed record QueryInfluence(string QueryId, string QueryDomain, float Measurement, List<ExampleInfluence> Scores);
}
