using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Cli.Lab;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Gradients.Hosting;
using Infra.Lab.Experiments;
using Infra.Scoring.Hosting;

using Infra.Client.Pipeline;

namespace Infra.Cli.Experiment;

/// <summary>
/// The influence roll-up on the influence model, through the project's own pipeline as <c>infra demo</c> runs it: the
/// GradientService and the ScoringService on loopback, the training sample's projected gradients and token factors
/// forwarded into the store, full-space EK-FAC fitted on the same sample (two passes), EK-FAC-preconditioned query
/// gradients of the correctly answered held-out problems registered, and every example scored against every query;
/// then rolled up to domain x difficulty cells.
/// </summary>
internal sealed class InfluenceRollupRunner(string modelFolder, string workFolder, int projectionDim, TextWriter output)
{
    private const string QuerySet = "correct-held-out";
    private const string FactorsName = "experiment";

    /// <summary>Scores <paramref name="training"/> against <paramref name="queries"/> and rolls the scores up to cells.</summary>
    public async Task<InfluenceRollup> RunAsync(IReadOnlyList<Example> training, IReadOnlyList<Example> queries, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var (gradientApp, gradientAddress) = await GradientServiceHost.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = modelFolder,
            ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = Path.Combine(workFolder, "factors"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, token).ConfigureAwait(false);
        await using var _ = gradientApp.ConfigureAwait(false);
        var (scoringApp, scoringAddress) = await ScoringServiceExtensions.StartLoopbackAsync(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = Path.Combine(workFolder, "store"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, token).ConfigureAwait(false);
        await using var __ = scoringApp.ConfigureAwait(false);
        using var gradientChannel = GrpcChannel.ForAddress(gradientAddress);
        using var scoringChannel = GrpcChannel.ForAddress(scoringAddress);
        var gradients = new GradientService.GradientServiceClient(gradientChannel);
        var scoring = new ScoringService.ScoringServiceClient(scoringChannel);
        var projection = new ProjectionSpec { KIn = (uint)projectionDim, KOut = (uint)projectionDim, Seed = 0 };
        output.WriteLine($"[influence] GradientService on {gradientAddress}, ScoringService on {scoringAddress}; {training.Count} training examples, {queries.Count} queries");

        await IndexAsync(gradients, scoringAddress, training, projection, token).ConfigureAwait(false);
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
            await FitAsync(gradients, phase, training, token).ConfigureAwait(false);
        await RegisterQueriesAsync(gradients, scoring, queries, projection, token).ConfigureAwait(false);
        var scores = await ScoreAsync(scoring, training.Count, queries, token).ConfigureAwait(false);
        await scoringApp.StopAsync(token).ConfigureAwait(false);
        await gradientApp.StopAsync(token).ConfigureAwait(false);

        var cells = InfluenceCellTable.Build(scores);
        output.WriteLine($"[influence] {scores.Count:N0} scores rolled up to {cells.Count} cells ({clock.Elapsed.TotalSeconds:F0} s)");
        return new InfluenceRollup
        {
            Examples = training.Count,
            MathQueries = queries.Count(q => q.Domain == "math"),
            CodeQueries = queries.Count(q => q.Domain == "code"),
            ProjectionDim = projectionDim,
            Seconds = clock.Elapsed.TotalSeconds,
            Cells = cells,
        };
    }

    // The GPU -> CPU path: the GradientService forwards every example's factors straight into the store.
    private async Task IndexAsync(GradientService.GradientServiceClient client, Uri scoringAddress, IReadOnlyList<Example> corpus, ProjectionSpec projection, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var summary = await GradientStreams.ForwardIndexAsync(client, scoringAddress, corpus, projection, null, token).ConfigureAwait(false);
        output.WriteLine($"[influence] indexed {corpus.Count} examples: {summary?.Stored} stored, {summary?.Skipped} already there ({clock.Elapsed.TotalSeconds:F0} s)");
    }

    private async Task FitAsync(GradientService.GradientServiceClient client, FitPhase phase, IReadOnlyList<Example> corpus, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var summary = await GradientStreams.FitPhaseAsync(client, FactorsName, phase, corpus, token).ConfigureAwait(false);
        output.WriteLine($"[influence] EK-FAC {phase}: {summary?.Examples} examples, {summary?.Tokens} tokens ({clock.Elapsed.TotalSeconds:F0} s)");
    }

    private static Task<RegisterQueriesResponse> RegisterQueriesAsync(GradientService.GradientServiceClient gradients, ScoringService.ScoringServiceClient scoring,
        IReadOnlyList<Example> queries, ProjectionSpec projection, CancellationToken token) =>
        GradientStreams.RegisterQueriesAsync(gradients, scoring, queries, projection, FactorsName, QuerySet, preconditionStage1: true, token);

    // Every training example's raw score <Q~, G> on every query (top k with k = all examples).
    private static async Task<List<InfluenceScore>> ScoreAsync(ScoringService.ScoringServiceClient scoring, int examples, IReadOnlyList<Example> queries, CancellationToken token)
    {
        var domains = queries.ToDictionary(q => q.Id, q => q.Domain, StringComparer.Ordinal);
        using var call = scoring.Score(new ScoreRequest { QuerySet = QuerySet, TopK = (uint)examples }, cancellationToken: token);
        var scores = new List<InfluenceScore>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (response.ItemCase != ScoreResponse.ItemOneofCase.Result) continue;
            var r = response.Result;
            scores.AddRange(r.Top.Select(t => new InfluenceScore(domains[r.QueryId], t.Id, new CellKey(t.Domain, t.Difficulty), t.Score)));
        }
        return scores;
    }
}
