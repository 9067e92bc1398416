using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Aggregation.Hosting;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Checkpoints;
using Infra.Contracts.Scoring.V1;
using Infra.Gradients.Hosting;
using Infra.Cli.Lab;
using Infra.Cli.Pipeline;
using Infra.Lab.Schema;
using Infra.Scoring.Hosting;
using Infra.Torch.Model;

namespace Infra.Cli.Demo;

/// <summary>
/// The demo pipeline over real gRPC on loopback: start the GradientService and the ScoringService,
/// forward the corpus's projected gradients and token factors into the store, fit full-space EK-FAC
/// (two passes), register EK-FAC-preconditioned query gradients of held-out problems, score every
/// training example against every query and the tokens of the best one, and write the results.
/// Stops the services when done. A rerun reuses the store (stored examples are skipped).
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
    private const string QuerySet = "held-out";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputPath);
        var modelPath = ResolveModel();

        var (gradientApp, gradientAddress) = await GradientServiceHost.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = modelPath,
            ["Gradients:Device"] = options.Device,
            ["Gradients:FactorsPath"] = Path.Combine(options.OutputPath, "factors"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, cancellationToken).ConfigureAwait(false);
        await using var _ = gradientApp.ConfigureAwait(false);
        var (scoringApp, scoringAddress) = await ScoringServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = Path.Combine(options.OutputPath, "store"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, cancellationToken).ConfigureAwait(false);
        await using var __ = scoringApp.ConfigureAwait(false);
        var (aggregationApp, aggregationAddress) = await AggregationServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = scoringAddress.ToString(),
            ["Aggregation:GradientAddress"] = gradientAddress.ToString(),
            ["Aggregation:OutputRoot"] = options.OutputPath,
            ["Logging:LogLevel:Default"] = "Warning",
        }, cancellationToken).ConfigureAwait(false);
        await using var ___ = aggregationApp.ConfigureAwait(false);
        output.WriteLine($"[services] GradientService on {gradientAddress}, ScoringService on {scoringAddress}, AggregationService on {aggregationAddress}");

        using var gradientChannel = GrpcChannel.ForAddress(gradientAddress);
        using var scoringChannel = GrpcChannel.ForAddress(scoringAddress);
        var gradients = new GradientService.GradientServiceClient(gradientChannel);
        var scoring = new ScoringService.ScoringServiceClient(scoringChannel);
        var projection = new ProjectionSpec { KIn = (uint)options.ProjectionDim, KOut = (uint)options.ProjectionDim, Seed = 0 };
        var info = await gradients.GetModelInfoAsync(new GetModelInfoRequest { Projection = projection }, cancellationToken: cancellationToken).ConfigureAwait(false);
        output.WriteLine($"[model] {info.ModelType}, {info.NumHiddenLayers} layers, {info.Layers.Count} tracked MLP projections, {info.Device}, fingerprint {info.Fingerprint[..12]}");

        var data = DemoData.Load(options.DefaultModelFolder, options.Examples, options.Queries);
        var (corpus, queries) = (data.Training, data.Queries);
        output.WriteLine($"[corpus] {corpus.Count} training examples and {queries.Count} queries from {data.Source}");
        var corpusPath = Path.Combine(options.OutputPath, "corpus.jsonl");
        CorpusWriter.WriteFile(corpusPath, data.TrainingRecords);

        await IndexAsync(gradients, scoringAddress, corpus, projection, cancellationToken).ConfigureAwait(false);
        const string factorsName = "demo";
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
            await FitAsync(gradients, factorsName, phase, corpus, cancellationToken).ConfigureAwait(false);
        await RegisterQueriesAsync(gradients, scoring, queries, projection, factorsName, cancellationToken).ConfigureAwait(false);

        var results = await ScoreAsync(scoring, corpus.Count, queries, cancellationToken).ConfigureAwait(false);
        Report(results, corpus);
        await ReportTokensAsync(scoring, results[0], cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(options.OutputPath, "influence.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Indented), cancellationToken).ConfigureAwait(false);

        using var aggregationChannel = GrpcChannel.ForAddress(aggregationAddress);
        var readout = await new DemoReadout(new AggregationService.AggregationServiceClient(aggregationChannel), QuerySet, factorsName, output)
            .RunAsync(options.OutputPath, corpusPath, cancellationToken).ConfigureAwait(false);
        await aggregationApp.StopAsync(cancellationToken).ConfigureAwait(false);
        await scoringApp.StopAsync(cancellationToken).ConfigureAwait(false);
        await gradientApp.StopAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"[done] {clock.Elapsed.TotalSeconds:F1} s; services stopped");
        output.WriteLine($"[done] report:           {readout.Report}");
        output.WriteLine($"[done] roll-up:          {readout.Rollup} (and {readout.TokenRanking})");
        output.WriteLine($"[done] reweighted corpus: {string.Join(", ", readout.Reweighting.Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal)))}");
        output.WriteLine($"[done] scores:           {path}; store in {Path.Combine(options.OutputPath, "store")}");
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

    // The GPU -> CPU path: the GradientService forwards every example's factors straight into the store.
    private async Task IndexAsync(GradientService.GradientServiceClient client, Uri scoringAddress, IReadOnlyList<Example> corpus,
        ProjectionSpec projection, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var summary = await GradientStreams.ForwardIndexAsync(client, scoringAddress, corpus, projection, p =>
        {
            if (interactive) output.Write($"\r[index] {p.ExamplesDone}/{corpus.Count} examples, {p.TokensPerSecond:F0} tokens/s   ");
        }, token).ConfigureAwait(false);
        output.WriteLine($"{(interactive ? "\r" : "")}[index] {corpus.Count} examples -> store: {summary?.Stored} stored, {summary?.Skipped} already there, "
            + $"{summary?.StoreExamples} in the store ({clock.Elapsed.TotalSeconds:F1} s)");
    }

    private async Task FitAsync(GradientService.GradientServiceClient client, string name, FitPhase phase, IReadOnlyList<Example> corpus, CancellationToken token)
    {
        var summary = await GradientStreams.FitPhaseAsync(client, name, phase, corpus, token).ConfigureAwait(false);
        output.WriteLine($"[ekfac] {phase}: {summary?.Examples} examples, {summary?.Tokens} tokens");
    }

    // Query gradients preconditioned by full-space EK-FAC on the gradient side, registered with the store.
    private async Task RegisterQueriesAsync(GradientService.GradientServiceClient gradients, ScoringService.ScoringServiceClient scoring,
        IReadOnlyList<Example> queries, ProjectionSpec projection, string factorsName, CancellationToken token)
    {
        var registered = await GradientStreams.RegisterQueriesAsync(gradients, scoring, queries, projection, factorsName, QuerySet, token).ConfigureAwait(false);
        output.WriteLine($"[query] {registered.Queries} held-out problems registered as '{registered.Name}' (EK-FAC-preconditioned query gradients)");
    }

    private static async Task<List<QueryInfluence>> ScoreAsync(ScoringService.ScoringServiceClient scoring, int examples, IReadOnlyList<Example> queries, CancellationToken token)
    {
        using var call = scoring.Score(new ScoreRequest { QuerySet = QuerySet, TopK = (uint)examples }, cancellationToken: token);
        var results = new List<QueryInfluence>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (response.ItemCase != ScoreResponse.ItemOneofCase.Result) continue;
            var r = response.Result;
            results.Add(new QueryInfluence(r.QueryId, queries.First(q => q.Id == r.QueryId).Domain, r.Measurement,
                r.Top.Select(t => new ExampleInfluence(t.Id, t.Domain, t.Difficulty, t.Score)).ToList()));
        }
        return results;
    }

    // The tokens of the most helpful example for the first query, by their own influence.
    private async Task ReportTokensAsync(ScoringService.ScoringServiceClient scoring, QueryInfluence query, CancellationToken token)
    {
        var best = query.Scores[0];
        using var call = scoring.ScoreTokens(new ScoreTokensRequest { QuerySet = QuerySet, ExampleIds = { best.Id }, QueryIds = { query.QueryId } },
            cancellationToken: token);
        await foreach (var t in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            var top = t.Tokens.Select((text, i) => (text, score: t.Scores[i], response: t.LossMask[i] == 1))
                .Where(x => x.response).OrderByDescending(x => x.score).Take(5)
                .Select(x => $"'{x.text.Replace("\n", "\\n", StringComparison.Ordinal)}' ({x.score.ToString("G3", CultureInfo.InvariantCulture)})");
            output.WriteLine($"[tokens] {best.Id} on {query.QueryId}: {t.Tokens.Count} tokens summing to {t.ExampleScores[0].ToString("G4", CultureInfo.InvariantCulture)}; most influential response tokens: {string.Join(", ", top)}");
        }
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
