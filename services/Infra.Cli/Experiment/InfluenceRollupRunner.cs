using System.Diagnostics;
using Infra.Cli.Demo;
using Infra.Client.Pipeline;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Corpus;

namespace Infra.Cli.Experiment;

/// <summary>
/// The influence roll-up on the influence model, through the project's own pipeline as <c>infra demo</c> runs it: the
/// three services on loopback, the training sample's projected gradients and token factors forwarded into the store,
/// full-space EK-FAC fitted on the same sample (two passes), EK-FAC-preconditioned query gradients of the correctly
/// answered held-out problems registered, and the AggregationService's domain x difficulty roll-up of every example on
/// every query (stage 1 scores: a roll-up is approximate, and says so).
/// </summary>
internal sealed class InfluenceRollupRunner(string modelFolder, string workFolder, int projectionDim, TextWriter output)
{
    private const string QuerySet = "correct-held-out";
    private const string FactorsName = "experiment";

    /// <summary>Scores <paramref name="training"/> against <paramref name="queries"/> and rolls the scores up to cells.</summary>
    public async Task<InfluenceRollup> RunAsync(IReadOnlyList<Example> training, IReadOnlyList<Example> queries, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var services = await LoopbackServices.StartAsync(modelFolder, "cpu", workFolder, token).ConfigureAwait(false);
        await using var _ = services.ConfigureAwait(false);
        var pipeline = services.Pipeline;
        var projection = new ProjectionSpec { KIn = (uint)projectionDim, KOut = (uint)projectionDim, Seed = 0 };
        output.WriteLine($"[influence] GradientService on {services.GradientAddress}, ScoringService on {services.ScoringAddress}; {training.Count} training examples, {queries.Count} queries");

        var indexed = await pipeline.IndexAsync(training, new IndexSettings { ProjectionDim = projectionDim, BatchSize = 0 }, null, token).ConfigureAwait(false);
        output.WriteLine($"[influence] indexed {training.Count} examples: {indexed.Stored} stored, {indexed.Skipped + (ulong)indexed.AlreadyStored} already there ({indexed.Seconds:F0} s)");
        await pipeline.FitFactorsTwoPassAsync(FactorsName, training,
            (phase, summary) => output.WriteLine($"[influence] EK-FAC {phase}: {summary.Examples} examples, {summary.Tokens} tokens ({clock.Elapsed.TotalSeconds:F0} s)"), token)
            .ConfigureAwait(false);
        await pipeline.RegisterQueriesAsync(new QueryRegistration
        {
            QuerySet = QuerySet, Queries = queries, FactorsName = FactorsName, PreconditionStage1 = true, Projection = projection,
        }, token).ConfigureAwait(false);
        // The roll-up of the raw stage 1 scores (the queries are preconditioned already); no reranking: only the cells are read.
        var rollup = await AggregationCalls.AggregateAsync(services.Aggregation,
            new AggregateRequest { Queries = new QuerySelection { QuerySet = QuerySet, Rerank = RerankMode.None } }, null, token).ConfigureAwait(false);

        var cells = InfluenceCells.FromRollup(rollup);
        var fidelity = rollup.Fidelity == ScoreFidelity.Exact ? "exact" : "approximate";
        output.WriteLine($"[influence] {rollup.Examples:N0} examples x {rollup.Queries} queries rolled up to {cells.Count} cells, {fidelity.ToUpperInvariant()} ({clock.Elapsed.TotalSeconds:F0} s)");
        return new InfluenceRollup
        {
            Examples = training.Count,
            MathQueries = queries.Count(q => q.Domain == CorpusFields.Math),
            CodeQueries = queries.Count(q => q.Domain == CorpusFields.Code),
            ProjectionDim = projectionDim,
            Seconds = clock.Elapsed.TotalSeconds,
            Fidelity = fidelity,
            Cells = cells,
        };
    }
}
