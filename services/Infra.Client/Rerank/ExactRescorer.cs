using System.Diagnostics;
using Grpc.Core;
using Infra.Client.Calls;
using Infra.Client.Workers;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Client.Rerank;

/// <summary>
/// Stage 2 on the wire: sends a query set's recipe and stored examples (their token ids and loss mask, exactly as
/// indexed) to <c>GradientService.ScoreExact</c>, which recomputes their factors in the full space and scores them
/// against the full-space EK-FAC preconditioned queries. Nothing is written anywhere, so cancelling loses nothing.
/// </summary>
/// <remarks>
/// Over several GradientService workers (<paramref name="workers"/>), the candidates are cut into units of whole batches,
/// cut where the one GradientService cuts them (every batch_size candidates from the first), and the workers pull the
/// units (<see cref="WorkerPool"/>). The service batches a call's candidates the same way, so every candidate is scored
/// in the same batch as by one worker and the scores are bit-identical (a batch's float sums depend on its shape; see
/// the GradientService's ExampleBatcher). A worker found down is retired and its unit requeued.
/// </remarks>
/// <param name="gradients">The GradientService's client (of the one GradientService, or of any worker).</param>
/// <param name="address">Its address, named in errors.</param>
/// <param name="workers">The GradientService workers; null or one address: every call goes to <paramref name="gradients"/>.</param>
public sealed class ExactRescorer(GradientService.GradientServiceClient gradients, Uri? address = null, GradientWorkerSet? workers = null)
{
    private const string Service = "GradientService";

    // Units per worker when the candidates allow: small enough that a slow or retired worker's share is picked up by the
    // others, large enough that each call's query recomputation (every ScoreExact call starts with it) stays a small part.
    private const int UnitsPerWorker = 2;

    /// <summary>
    /// Exact scores of <paramref name="examples"/> for the recipe's queries <paramref name="queryIds"/> (all of the
    /// recipe's when empty), in that order.
    /// </summary>
    /// <param name="modelFingerprint">The store's model; the GradientService refuses another model, naming both.</param>
    /// <param name="includeTokenScores">Also token scores (for heat maps, sequences and token rankings).</param>
    /// <param name="batchSize">Candidates per batch; 0 = the service's default.</param>
    /// <param name="onProgress">Called after each batch with the candidates done.</param>
    /// <param name="meanByDomain">Columns are the queries' domains, each the mean over its queries (cheaper token scores).</param>
    /// <exception cref="ArgumentException">A query id the recipe does not have.</exception>
    public async Task<ExactScoreSet> ScoreAsync(QueryRecipe recipe, IReadOnlyList<string> queryIds, IReadOnlyList<GetExamplesResponse> examples,
        string modelFingerprint, bool includeTokenScores, int batchSize = 0, Action<Progress>? onProgress = null, bool meanByDomain = false,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentNullException.ThrowIfNull(examples);
        var byId = recipe.Queries.ToDictionary(q => q.Id, StringComparer.Ordinal);
        var options = new ExactScoringOptions
        {
            FactorsName = recipe.FactorsName, Damping = recipe.Damping, Reduction = recipe.Reduction, ChatFormat = recipe.ChatFormat,
            Truncate = recipe.Truncate, IncludeTokenScores = includeTokenScores, BatchSize = (uint)Math.Max(0, batchSize),
            ModelFingerprint = modelFingerprint ?? "", MeanByDomain = meanByDomain,
        };
        foreach (var id in queryIds.Count == 0 ? recipe.Queries.Select(q => q.Id) : queryIds)
            options.Queries.Add(byId.TryGetValue(id, out var q) ? q : throw DomainException.InvalidArgument($"query '{id}' is not in the query set's recipe"));
        var clock = Stopwatch.StartNew();
        // No candidates: one call still answers the header (the columns), and there is nothing to spread.
        if (workers is null || workers.IsSingle || examples.Count == 0)
        {
            return await Downstream.CallAsync(Service, address, async () =>
            {
                var (header, scores) = await ScoreOnAsync(gradients, options, examples, onProgress, token).ConfigureAwait(false);
                return new ExactScoreSet(header, scores, clock.Elapsed);
            }).ConfigureAwait(false);
        }
        return await Downstream.CallAsync(Service, address, async () =>
        {
            var (header, scores) = await ScoreOnWorkersAsync(workers, options, examples, onProgress, token).ConfigureAwait(false);
            return new ExactScoreSet(header, scores, clock.Elapsed);
        }).ConfigureAwait(false);
    }

    private static async Task<(ExactScoringHeader Header, Dictionary<string, ExactExampleScores> Scores)> ScoreOnWorkersAsync(GradientWorkerSet set,
        ExactScoringOptions options, IReadOnlyList<GetExamplesResponse> examples, Action<Progress>? onProgress, CancellationToken token)
    {
        var all = await set.WorkersAsync(token).ConfigureAwait(false);
        var batch = options.BatchSize > 0 ? (int)options.BatchSize : await set.DefaultBatchSizeAsync(all, token).ConfigureAwait(false);
        var batches = (examples.Count + batch - 1) / batch;
        var perUnit = Math.Max(1, (batches + all.Count * UnitsPerWorker - 1) / (all.Count * UnitsPerWorker));
        var units = examples.Chunk(perUnit * batch).Select((chunk, i) => (Index: i, Examples: (IReadOnlyList<GetExamplesResponse>)chunk)).ToList();
        var headers = new ExactScoringHeader?[units.Count];
        var scores = new Dictionary<string, ExactExampleScores>(StringComparer.Ordinal);
        var done = new Progress?[units.Count];
        await WorkerPool.RunAsync(all, units, async (worker, unit, cancel) =>
        {
            var (header, own) = await ScoreOnAsync(worker.Client, options, unit.Examples, progress =>
            {
                if (onProgress is null) return;
                Progress sum;
                lock (done)
                {
                    done[unit.Index] = progress;
                    sum = progress.Clone();
                    sum.ExamplesDone = (ulong)done.Sum(p => (decimal)(p?.ExamplesDone ?? 0));
                    sum.TokensDone = (ulong)done.Sum(p => (decimal)(p?.TokensDone ?? 0));
                }
                onProgress(sum);
            }, cancel).ConfigureAwait(false);
            lock (scores)
            {
                headers[unit.Index] = header;
                foreach (var (id, score) in own) scores[id] = score;
            }
        }, set, token).ConfigureAwait(false);
        // Every unit's header lists the same columns (the same queries recomputed on the same model); the first is the call's.
        return (headers[0]!, scores);
    }

    // One ScoreExact call: every candidate's scores, checked complete.
    private static async Task<(ExactScoringHeader Header, Dictionary<string, ExactExampleScores> Scores)> ScoreOnAsync(GradientService.GradientServiceClient client,
        ExactScoringOptions options, IReadOnlyList<GetExamplesResponse> examples, Action<Progress>? onProgress, CancellationToken token)
    {
        using var call = client.ScoreExact(cancellationToken: token);
        var sending = SendAsync(call.RequestStream, options, examples, token);
        ExactScoringHeader? header = null;
        var scores = new Dictionary<string, ExactExampleScores>(StringComparer.Ordinal);
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            switch (message.ItemCase)
            {
                case ScoreExactResponse.ItemOneofCase.Header: header = message.Header; break;
                case ScoreExactResponse.ItemOneofCase.Scores: scores[message.Scores.ExampleId] = message.Scores; break;
                case ScoreExactResponse.ItemOneofCase.Progress: onProgress?.Invoke(message.Progress); break;
            }
        }
        await sending.ConfigureAwait(false);
        if (header is null) throw DomainException.FailedPrecondition("the GradientService ended ScoreExact without a header");
        var missing = examples.FirstOrDefault(e => !scores.ContainsKey(e.Id));
        if (missing is not null) throw DomainException.FailedPrecondition($"the GradientService sent no exact score for example '{missing.Id}'");
        return (header, scores);
    }

    /// <summary>A stored example as the GradientService takes it: its own token ids and loss mask, so nothing is re-rendered.</summary>
    public static Example ToCandidate(GetExamplesResponse stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange(stored.TokenIds);
        tokens.LossMask.AddRange(stored.LossMask);
        return new Example { Id = stored.Id, Domain = stored.Domain, Difficulty = stored.Difficulty, Tokens = tokens };
    }

    // Requests go out while responses are read, so the full-duplex stream never stalls on flow control.
    private static Task SendAsync(IClientStreamWriter<ScoreExactRequest> writer, ExactScoringOptions options, IReadOnlyList<GetExamplesResponse> examples,
        CancellationToken token) => Task.Run(async () =>
    {
        await writer.WriteAsync(new ScoreExactRequest { Options = options }, token).ConfigureAwait(false);
        foreach (var example in examples)
            await writer.WriteAsync(new ScoreExactRequest { Candidate = ToCandidate(example) }, token).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
    }, token);
}

/// <summary>The header and every example's exact scores of one <c>ScoreExact</c> call, and its wall time.</summary>
public sealed record ExactScoreSet(ExactScoringHeader Header, IReadOnlyDictionary<string, ExactExampleScores> Examples, TimeSpan Elapsed);
