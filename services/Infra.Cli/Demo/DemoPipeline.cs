using System.Diagnostics;
using System.Globalization;
using Infra.Cli.Lab;
using Infra.Client.Pipeline;
using Infra.Client.Rerank;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Checkpoints;
using Infra.Core.IO;
using Infra.Corpus;
using Infra.Torch.Model;

namespace Infra.Cli.Demo;

/// <summary>
/// The demo pipeline over real gRPC on loopback: start the three services, forward the corpus's projected
/// gradients and token factors into the store, fit full-space EK-FAC on the GradientService (two passes, the
/// paper's factors) and EK-FAC on the projected store (the better stage 1), register the held-out problems' query
/// gradients with their recipe, then two-stage scoring: stage 1 ranks every example from the store, stage 2
/// recomputes each query's candidates in the full space and scores them exactly; the top lists and token scores
/// shown are exact, the roll-ups approximate, and every output says which. Stops the services when done. A rerun
/// reuses the store (stored examples are skipped).
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

    private const string QuerySet = "held-out";

    /// <summary>The EK-FAC preconditioner fitted on the projected store: stage 1's ranking.</summary>
    internal const string StorePreconditioner = "ekfac";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputPath);
        var modelPath = ResolveModel();

        var services = await LoopbackServices.StartAsync(modelPath, options.Device, options.OutputPath, cancellationToken).ConfigureAwait(false);
        await using var _ = services.ConfigureAwait(false);
        output.WriteLine($"[services] GradientService on {services.GradientAddress}, ScoringService on {services.ScoringAddress}, AggregationService on {services.AggregationAddress}");

        var pipeline = services.Pipeline;
        var projection = new ProjectionSpec { KIn = (uint)options.ProjectionDim, KOut = (uint)options.ProjectionDim, Seed = 0 };
        var info = await services.Gradients.GetModelInfoAsync(new GetModelInfoRequest { Projection = projection }, cancellationToken: cancellationToken).ConfigureAwait(false);
        output.WriteLine($"[model] {info.ModelType}, {info.NumHiddenLayers} layers, {info.Layers.Count} tracked MLP projections, {info.Device}, fingerprint {info.Fingerprint[..12]}");

        var data = DemoData.Load(options.DefaultModelFolder, options.Examples, options.Queries);
        var (corpus, queries) = (data.Training, data.Queries);
        output.WriteLine($"[corpus] {corpus.Count} training examples and {queries.Count} queries from {data.Source}");
        var corpusPath = Path.Combine(options.OutputPath, "corpus.jsonl");
        CorpusWriter.WriteFile(corpusPath, data.TrainingRecords);

        await IndexAsync(pipeline, corpus, cancellationToken).ConfigureAwait(false);
        const string factorsName = "demo";
        await pipeline.FitFactorsTwoPassAsync(factorsName, corpus, (phase, summary) => output.WriteLine($"[ekfac] {phase}: {summary.Examples} examples, {summary.Tokens} tokens"),
            cancellationToken).ConfigureAwait(false);
        var store = await pipeline.FitStoreAsync(new FitRequest { Name = StorePreconditioner, Kind = PreconditionerKind.Ekfac, Overwrite = true }, null, cancellationToken)
            .ConfigureAwait(false);
        output.WriteLine($"[ekfac] store (projected) EK-FAC '{store.Name}' on {store.Examples} examples: stage 1's ranking");
        // Unpreconditioned projected query gradients (stage 1 applies the store's EK-FAC), registered with the recipe stage 2 recomputes them by.
        var registered = await pipeline.RegisterQueriesAsync(new QueryRegistration { QuerySet = QuerySet, Queries = queries, FactorsName = factorsName, Projection = projection },
            cancellationToken).ConfigureAwait(false);
        output.WriteLine($"[query] {registered.Queries} held-out problems registered as '{registered.Name}' (stage 2 recipe: full-space EK-FAC '{factorsName}')");

        var twoStage = pipeline.TwoStage;
        var ranked = await twoStage.RankAsync(new TwoStageRequest { QuerySet = QuerySet, Preconditioner = StorePreconditioner, K = 10 }, cancellationToken)
            .ConfigureAwait(false);
        Report(ranked, corpus.Count);
        await ReportTokensAsync(twoStage, ranked, cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(options.OutputPath, "influence.json");
        await File.WriteAllTextAsync(path, ProjectJson.Serialize(new DemoInfluence(ranked.Queries.Select(q => new QueryInfluence(q, ranked)).ToList()), 1),
            cancellationToken).ConfigureAwait(false);

        var readout = await new DemoReadout(services.Aggregation, QuerySet, StorePreconditioner, factorsName, output)
            .RunAsync(options.OutputPath, corpusPath, cancellationToken).ConfigureAwait(false);
        await services.DisposeAsync().ConfigureAwait(false);
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

    // The GPU -> CPU path: the GradientService forwards every example's factors straight into the store (resumable: a
    // rerun sends only what the store lacks).
    private async Task IndexAsync(InfluencePipeline pipeline, IReadOnlyList<Example> corpus, CancellationToken token)
    {
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var settings = new IndexSettings { ProjectionDim = options.ProjectionDim, BatchSize = 0 };
        var result = await pipeline.IndexAsync(corpus, settings, interactive ? new LineProgress(output, corpus.Count) : null, token).ConfigureAwait(false);
        output.WriteLine($"{(interactive ? "\r" : "")}[index] {corpus.Count} examples -> store: {result.Stored} stored, {result.Skipped + (ulong)result.AlreadyStored} already there, "
            + $"{result.StoreExamples} in the store ({result.Seconds:F1} s)");
    }

    private void Report(TwoStageResult ranked, int examples)
    {
        output.WriteLine($"[influence] stage 1: {examples} examples x {ranked.Queries.Count} queries from the store ({ranked.Stage1.TotalSeconds:F1} s, APPROXIMATE); "
            + $"stage 2: top and bottom {ranked.Candidates} candidates per query, {ranked.RescoredExamples} examples recomputed in the full space "
            + $"({ranked.Stage2.TotalSeconds:F1} s, {1e3 * ranked.Stage2.TotalSeconds / Math.Max(1, ranked.RescoredExamples):F0} ms per example, EXACT)");
        foreach (var q in ranked.Queries)
        {
            var top = string.Join(", ", q.Top.Take(3).Select(e => $"{e.Id} ({Format(e.Score)}; stage 1 {Format(e.ApproximateScore)})"));
            output.WriteLine($"[influence] {q.QueryId} (f = {q.Measurement:F3}): most helpful, {Label(ranked.Fidelity)}: {top}");
        }
    }

    // The tokens of the most helpful example for the first query, by their own exact influence (recomputed on demand).
    private async Task ReportTokensAsync(TwoStageScorer twoStage, TwoStageResult ranked, CancellationToken token)
    {
        var query = ranked.Queries[0];
        if (query.Top.Count == 0) return;
        ScoreTokensResponse? t = null;
        await twoStage.ExactTokensAsync(QuerySet, [query.QueryId], [query.Top[0].Id], s =>
        {
            t = s;
            return Task.CompletedTask;
        }, token: token).ConfigureAwait(false);
        if (t is null) return;
        var column = t.QueryIds.IndexOf(query.QueryId);
        var m = t.QueryIds.Count;
        var top = Enumerable.Range(0, t.Tokens.Count).Where(i => t.LossMask[i] == 1).OrderByDescending(i => t.Scores[i * m + column]).Take(5)
            .Select(i => $"'{t.Tokens[i].Replace("\n", "\\n", StringComparison.Ordinal)}' ({t.Scores[i * m + column].ToString("G3", CultureInfo.InvariantCulture)})");
        var sum = Enumerable.Range(0, t.Tokens.Count).Sum(i => (double)t.Scores[i * m + column]);
        output.WriteLine($"[tokens] {t.ExampleId} on {query.QueryId}, {Label(t.Fidelity)}: {t.Tokens.Count} tokens summing to {Format(sum)} "
            + $"(example score {Format(t.ExampleScores[column])}); most influential response tokens: {string.Join(", ", top)}");
    }

    // "\r[index] 12/64 examples, 830 tokens/s" on an interactive terminal.
    private sealed class LineProgress(TextWriter output, int total) : IProgressSink
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public void SetTotal(long examples)
        {
        }

        public void Report(long examples, long tokens) =>
            output.Write($"\r[index] {examples}/{total} examples, {tokens / Math.Max(1e-9, _clock.Elapsed.TotalSeconds):F0} tokens/s   ");
    }

    private static string Label(ScoreFidelity fidelity) => fidelity == ScoreFidelity.Exact ? "EXACT" : "APPROXIMATE";

    // Files spell fidelity as the score files' CSV does: "exact" or "approximate".
    private static string FileLabel(ScoreFidelity fidelity) => Label(fidelity).ToLowerInvariant();

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>
    /// influence.json (format 1, snake_case as every project file; a stage 1 score absent for a listed example is "NaN"):
    /// each query's exact top and bottom examples.
    /// </summary>
    private sealed record DemoInfluence(IReadOnlyList<QueryInfluence> Queries);

    /// <summary>One query's exact top and bottom examples as influence.json records them.</summary>
    private sealed record QueryInfluence(string QueryId, string Domain, float Measurement, string Fidelity, int Candidates,
        IReadOnlyList<ExampleInfluence> Top, IReadOnlyList<ExampleInfluence> Bottom)
    {
        public QueryInfluence(RankedQuery q, TwoStageResult ranked)
            : this(q.QueryId, q.Domain, q.Measurement, FileLabel(ranked.Fidelity), ranked.Candidates, q.Top.Select(ExampleInfluence.Of).ToList(),
                q.Bottom.Select(ExampleInfluence.Of).ToList())
        {
        }
    }

    private sealed record ExampleInfluence(string Id, string Domain, int Difficulty, double Score, double ApproximateScore, string Fidelity)
    {
        public static ExampleInfluence Of(RankedExample e) => new(e.Id, e.Domain, e.Difficulty, e.Score, e.ApproximateScore, FileLabel(e.Fidelity));
    }
}
