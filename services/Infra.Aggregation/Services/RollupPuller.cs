using Infra.Aggregation.Clients;
using Infra.Aggregation.Rollups;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Aggregation.Services;

/// <summary>
/// Streams a full score dump from the ScoringService into an <see cref="InfluenceAccumulator"/>, chunk by chunk:
/// memory is O(examples x query domains), never the example x query matrix.
/// </summary>
/// <remarks>
/// Two passes: the accumulator needs the examples (id, domain, difficulty) and the queries' domains before the
/// first chunk, and the ScoringService lists them only in a dump, so a first dump (scores dropped as they arrive)
/// enumerates them and a second one feeds the roll-up. A store listing RPC would save the first pass.
/// </remarks>
internal sealed class RollupPuller(ScoringPuller scoring)
{
    /// <summary>Label of query domains registered empty (the roll-ups need a name).</summary>
    public const string UnnamedDomain = "query";

    public async Task<InfluenceRollup> PullAsync(QuerySelection selection, RollupOptions options, Func<AggregateProgress, Task>? progress,
        CancellationToken token)
    {
        Selections.Validate(selection);
        await scoring.RequireStoreAsync(token).ConfigureAwait(false);
        var request = new ScoreRequest { QuerySet = selection.QuerySet, Preconditioner = selection.Preconditioner, TopK = 1, IncludeAllScores = true };
        request.QueryIds.AddRange(selection.QueryIds);

        var examples = new List<ExampleAttributes>();
        var results = await scoring.ScoreAsync(request, chunk =>
        {
            for (var i = 0; i < chunk.ExampleIds.Count; i++)
                examples.Add(new ExampleAttributes(chunk.ExampleIds[i], chunk.Domains[i], chunk.Difficulties[i]));
            return Task.CompletedTask;
        }, token).ConfigureAwait(false);
        var queries = results.Select(r => new QueryAttributes(r.QueryId, string.IsNullOrEmpty(r.Domain) ? UnnamedDomain : r.Domain)).ToList();

        var accumulator = new InfluenceAccumulator(examples, queries, options);
        var received = 0UL;
        await scoring.ScoreAsync(request, async chunk =>
        {
            if (selection.Normalized && chunk.Normalized.Count != chunk.Raw.Count)
                throw DomainException.FailedPrecondition("the ScoringService sent no normalised scores (does the preconditioner exist?)");
            var values = selection.Normalized ? chunk.Normalized.ToArray() : chunk.Raw.ToArray();
            accumulator.Add(new ScoreBlock(chunk.ExampleIds, chunk.QueryIds, values));
            received += (ulong)chunk.ExampleIds.Count;
            if (progress is not null)
                await progress(new AggregateProgress { Examples = received, Scores = (ulong)accumulator.ScoresAdded }).ConfigureAwait(false);
        }, token).ConfigureAwait(false);
        return accumulator.Finish();
    }
}
