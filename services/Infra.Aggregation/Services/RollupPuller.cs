using Infra.Aggregation.Clients;
using Infra.Aggregation.Rollups;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;
using Infra.Core.Metadata;

namespace Infra.Aggregation.Services;

/// <summary>
/// Streams a full score dump from the ScoringService into an <see cref="InfluenceAccumulator"/>, chunk by chunk:
/// memory is O(examples x query domains), never the example x query matrix.
/// </summary>
/// <remarks>
/// Two passes: the accumulator needs the examples (id, domain, difficulty) and the queries' domains before the
/// first chunk, and the ScoringService lists them only in a dump, so a first dump (scores dropped as they arrive)
/// enumerates them and a second one feeds the roll-up. A store listing RPC would save the first pass.
/// Only the metadata columns the grouping needs are asked for (none for the default grouping); an unknown one is the
/// ScoringService's INVALID_ARGUMENT, naming the column, passed through.
/// </remarks>
internal sealed class RollupPuller(ScoringPuller scoring)
{
    /// <summary>Label of query domains registered empty (the roll-ups need a name).</summary>
    public const string UnnamedDomain = "query";

    /// <summary>Both passes: the roll-up, and the store's state (its difficulty scheme) as it was before them.</summary>
    public async Task<PulledRollup> PullAsync(QuerySelection selection, Grouping grouping, RollupOptions options, Func<AggregateProgress, Task>? progress,
        CancellationToken token)
    {
        var (store, request, examples, results) = await ListAsync(selection, grouping, token).ConfigureAwait(false);
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
        return new PulledRollup(accumulator.Finish(), store);
    }

    /// <summary>The first pass only: every stored example with its grouping values (what a rule that needs no influence weighs).</summary>
    public async Task<(IReadOnlyList<ExampleAttributes> Examples, StoreInfoResponse Store)> ExamplesAsync(QuerySelection selection, Grouping grouping,
        CancellationToken token)
    {
        var (store, _, examples, _) = await ListAsync(selection, grouping, token).ConfigureAwait(false);
        return (examples, store);
    }

    private async Task<(StoreInfoResponse Store, ScoreRequest Request, List<ExampleAttributes> Examples, List<QueryResult> Results)> ListAsync(
        QuerySelection selection, Grouping grouping, CancellationToken token)
    {
        Selections.Validate(selection);
        var store = await scoring.RequireStoreAsync(token).ConfigureAwait(false);
        var request = new ScoreRequest { QuerySet = selection.QuerySet, Preconditioner = selection.Preconditioner, TopK = 1, IncludeAllScores = true };
        request.QueryIds.AddRange(selection.QueryIds);
        request.MetadataColumns.AddRange(grouping.MetadataColumns);

        var examples = new List<ExampleAttributes>();
        var results = await scoring.ScoreAsync(request, chunk =>
        {
            for (var i = 0; i < chunk.ExampleIds.Count; i++)
                examples.Add(new ExampleAttributes(chunk.ExampleIds[i], chunk.Domains[i], chunk.Difficulties[i], Metadata(chunk, i, request)));
            return Task.CompletedTask;
        }, token).ConfigureAwait(false);
        // By id, not in the order the store lists them: that order is the ingest's (a resumed index, a sharded store's
        // shards concatenated), and the roll-up's sums and bootstrap intervals follow the examples' order.
        examples.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return (store, request, examples, results);
    }

    // Null when no column was asked for (the default grouping reads domain and difficulty only).
    private static Dictionary<string, MetadataValue>? Metadata(ScoreChunk chunk, int row, ScoreRequest request)
    {
        if (request.MetadataColumns.Count == 0) return null;
        if (chunk.Metadata.Count != chunk.ExampleIds.Count)
            throw DomainException.FailedPrecondition(
                $"the ScoringService sent metadata for {chunk.Metadata.Count} of {chunk.ExampleIds.Count} examples in a chunk (asked for: {string.Join(", ", request.MetadataColumns)})");
        return MetadataWire.FromWire(chunk.Metadata[row].Values);
    }
}
