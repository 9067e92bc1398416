using System.Diagnostics;
using Grpc.Core;
using Infra.Client.Calls;
using Infra.Client.Rerank;
using Infra.Client.Workers;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Pipeline;

/// <summary>
/// The method, once, over the services' protos: index a corpus into the store (GradientService -> ScoringService,
/// resumable), fit full-space EK-FAC (GradientService, two passes) and projected preconditioners (ScoringService),
/// register query gradients with the recipe that recomputes them, and rank by two-stage scoring (<see cref="TwoStage"/>:
/// stage 1 from the store, stage 2 exact). <c>infra demo</c>, <c>infra experiment</c>, the CLI's commands, the load
/// benchmark and the AggregationService's Influence call all run these steps; roll-ups, reports and reweighting are the
/// AggregationService's calls.
/// </summary>
/// <param name="gradients">The GradientService's client.</param>
/// <param name="gradientAddress">Its address (stage 2 opens its own channels to it; named in errors).</param>
/// <param name="scoring">The ScoringService's client.</param>
/// <param name="scoringAddress">Its address as this process reaches it (named in errors; the default forward_to of indexing).</param>
/// <param name="calls">How each call is run and its failure reported; defaults to <see cref="DownstreamCalls"/>.</param>
/// <param name="workers">
/// Several GradientService workers: indexing and stage 2 are spread over them (<see cref="WorkerPool"/>), each EK-FAC fit
/// pass goes to the first that serves (<see cref="FitFactorsAsync"/>), the other GradientService calls go to
/// <paramref name="gradients"/>. Null or one address: everything goes to <paramref name="gradients"/>.
/// </param>
public sealed class InfluencePipeline(GradientService.GradientServiceClient gradients, Uri gradientAddress, ScoringService.ScoringServiceClient scoring,
    Uri? scoringAddress, IServiceCalls? calls = null, GradientWorkerSet? workers = null)
{
    // MissingExamples requests stay far below gRPC's message limit with this many ids each.
    private const int IdsPerRequest = 10_000;

    private readonly IServiceCalls _calls = calls ?? new DownstreamCalls(gradientAddress, scoringAddress);

    /// <summary>Two-stage scoring over these services: stage 1 from the store, stage 2 recomputed on the GradientService.</summary>
    public TwoStageScorer TwoStage => new(scoring, new ExactRescorer(gradients, gradientAddress, workers), scoringAddress);

    /// <summary>The ScoringService's store: exists, examples, schema, query sets and preconditioners.</summary>
    public Task<StoreInfoResponse> StoreInfoAsync(CancellationToken token) =>
        _calls.CallAsync(ServiceKind.Scoring, async () => await scoring.StoreInfoAsync(new StoreInfoRequest(), cancellationToken: token), token);

    /// <summary>
    /// Streams <paramref name="corpus"/> through the GradientService into the store (forward_to
    /// <paramref name="forwardTo"/>, the ScoringService's address as the GradientService reaches it; defaults to the
    /// pipeline's), resumably: the store is asked which ids it lacks first and only those are sent, so a rerun after a
    /// crash computes only what is missing. A new store gets <paramref name="settings"/>' projection, token factors and
    /// dtype; an existing one dictates its own, so a rerun with other settings cannot produce a mismatched index.
    /// </summary>
    /// <param name="forwardTo">
    /// The store's shards as the GradientService reaches them, in shard order (the order of the pipeline's sharded scoring
    /// client): each example is forwarded to shard <see cref="CorpusPartition.IndexOf"/>(id, count), one GradientService
    /// call per shard that has examples to send. Null: the pipeline's one scoring address. With several GradientService
    /// workers the calls are units of a few batches pulled by the workers instead (<see cref="WorkerIndexing"/>).
    /// </param>
    public async Task<IndexResult> IndexAsync(IReadOnlyList<Example> corpus, IndexSettings settings, IProgressSink? progress, CancellationToken token,
        IReadOnlyList<Uri>? forwardTo = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var targets = forwardTo is { Count: > 0 } ? forwardTo : [scoringAddress ?? throw new InvalidOperationException("indexing needs the ScoringService's address")];
        var info = await StoreInfoAsync(token).ConfigureAwait(false);
        StoreDifficulty.Check(info, settings);
        var missing = await _calls.CallAsync(ServiceKind.Scoring, () => MissingAsync(corpus, token), token).ConfigureAwait(false);
        var todo = corpus.Where(e => missing.Contains(e.Id)).ToList();
        progress?.SetTotal(todo.Count);
        if (todo.Count == 0)
            return new IndexResult(corpus.Count, corpus.Count, 0, 0, 0, info.Examples, 0, clock.Elapsed.TotalSeconds);

        var options = new GradientOptions
        {
            Projection = info.Exists
                ? StoreProjection.Of(info.Schema)
                : new ProjectionSpec { KIn = (uint)settings.ProjectionDim, KOut = (uint)settings.ProjectionDim, Seed = settings.Seed },
            IncludeExampleGradient = true,
            IncludeTokenFactors = info.Exists ? info.Schema.TokenFactors : settings.TokenFactors,
            BatchSize = (uint)settings.BatchSize,
            Truncate = settings.Truncate,
            ForwardStoreDtype = info.Exists && info.Schema.StoreDtype != WireDtype.Unspecified ? info.Schema.StoreDtype : settings.StoreDtype,
            // Saved by a new store; an existing one already holds the same (StoreDifficulty.Check) and compares it again.
            ForwardDifficulty = settings.Difficulty is { } scheme ? MetadataWire.ToWire(scheme) : null,
        };
        if (workers is { IsSingle: false })
        {
            var spread = new WorkerIndexing(workers, options, settings.BatchesPerUnit, progress);
            await _calls.CallAsync(ServiceKind.Gradients, async () =>
            {
                await spread.RunAsync(todo, targets, token).ConfigureAwait(false);
                return true;
            }, token).ConfigureAwait(false);
            // Units finish in any order, so no one unit's summary holds the store's total: the (merged) StoreInfo does.
            var total = (await StoreInfoAsync(token).ConfigureAwait(false)).Examples;
            return new IndexResult(corpus.Count, corpus.Count - todo.Count, todo.Count, spread.Totals.Stored, spread.Totals.Skipped, total, spread.Tokens,
                clock.Elapsed.TotalSeconds);
        }
        ulong stored = 0, skipped = 0, storeExamples = 0;
        long examplesBefore = 0, tokensBefore = 0, tokens = 0;
        // Shard by shard: each call forwards to one shard, so a shard that is down fails its own call, naming it, and a
        // rerun resumes every shard where it stopped (MissingExamples asks each id of its own shard).
        foreach (var (shard, examples) in todo.GroupBy(e => CorpusPartition.IndexOf(e.Id, targets.Count)).OrderBy(g => g.Key).Select(g => (g.Key, g.ToList())))
        {
            var forward = options.Clone();
            forward.ForwardTo = targets[shard].ToString();
            ForwardSummary? summary = null;
            long examplesDone = 0, tokensDone = 0;
            await _calls.CallAsync(ServiceKind.Gradients, () => DuplexCall.RunAsync(
                call => gradients.ComputeGradients(cancellationToken: call),
                new ComputeGradientsRequest { Options = forward }, examples.Select(e => new ComputeGradientsRequest { Example = e }),
                message =>
                {
                    if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Forwarded) summary = message.Forwarded;
                    else if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Progress)
                    {
                        (examplesDone, tokensDone) = ((long)message.Progress.ExamplesDone, (long)message.Progress.TokensDone);
                        progress?.Report(examplesBefore + examplesDone, tokensBefore + tokensDone);
                    }
                }, token), token).ConfigureAwait(false);
            if (summary is null) throw new RpcException(new Status(StatusCode.Internal, "the GradientService ended the stream without a forward summary"));
            (stored, skipped, storeExamples) = (stored + summary.Stored, skipped + summary.Skipped, summary.StoreExamples);
            (examplesBefore, tokensBefore) = (examplesBefore + examples.Count, tokensBefore + tokensDone);
            tokens = tokensBefore;
        }
        // One shard's summary counts only its own store: the set's total is the (merged) StoreInfo's.
        if (targets.Count > 1) storeExamples = (await StoreInfoAsync(token).ConfigureAwait(false)).Examples;
        return new IndexResult(corpus.Count, corpus.Count - todo.Count, todo.Count, stored, skipped, storeExamples, tokens, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One pass of the GradientService's full-space EK-FAC fit under <paramref name="name"/> over <paramref name="corpus"/>
    /// (<paramref name="batchSize"/> 0 = the service's default); returns the service's summary. With several workers the
    /// pass goes to one of them, the first in list order that answers its health check
    /// (<see cref="GradientWorkerSet.FirstServingAsync"/>; those passed over are reported through
    /// <see cref="GradientWorkerSet.WorkerSkipped"/>), so a first worker that is down does not fail the fit while others
    /// serve; the factors land in the workers' shared Gradients:FactorsPath, where every worker reads them. One pass is
    /// never split over workers: their covariance sums would have to be merged, which no RPC does. A worker that dies
    /// during the pass fails it, naming the worker; a rerun goes to the next one that serves.
    /// </summary>
    /// <exception cref="RpcException">UNAVAILABLE naming every worker when none serves (through the pipeline's calls).</exception>
    public async Task<FactorsSummary> FitFactorsAsync(string name, FitPhase phase, IReadOnlyList<Example> corpus, int batchSize, bool overwrite,
        IProgressSink? progress, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var work = $"EK-FAC fit '{name}', {PhaseWords(phase)} pass";
        var worker = workers is { IsSingle: false } several
            ? await _calls.CallAsync(ServiceKind.Gradients, () => several.FirstServingAsync(work, token), token).ConfigureAwait(false)
            : null;
        var client = worker?.Client ?? gradients;
        progress?.SetTotal(corpus.Count);
        FactorsSummary? summary = null;
        await _calls.CallAsync(ServiceKind.Gradients, async () =>
        {
            try
            {
                return await DuplexCall.RunAsync(
                    call => client.FitFactors(cancellationToken: call),
                    new FitFactorsRequest { Options = new FitFactorsOptions { Name = name, Phase = phase, BatchSize = (uint)batchSize, Overwrite = overwrite } },
                    corpus.Select(e => new FitFactorsRequest { Example = e }),
                    message =>
                    {
                        if (message.ItemCase == FitFactorsResponse.ItemOneofCase.Summary) summary = message.Summary;
                        else if (message.ItemCase == FitFactorsResponse.ItemOneofCase.Progress)
                            progress?.Report((long)message.Progress.ExamplesDone, (long)message.Progress.TokensDone);
                    }, token).ConfigureAwait(false);
            }
            catch (RpcException e) when (worker is not null && !token.IsCancellationRequested)
            {
                // The configured list names every worker; the failure is the chosen one's.
                throw new RpcException(new Status(e.StatusCode, $"{worker.Name}: {e.Status.Detail}", e.Status.DebugException), e.Trailers);
            }
        }, token).ConfigureAwait(false);
        return summary ?? throw new RpcException(new Status(StatusCode.Internal, $"FitFactors {phase} ended without a summary"));
    }

    /// <summary>
    /// The paper's full-space EK-FAC under <paramref name="name"/>: both passes over <paramref name="corpus"/>
    /// (covariance, then eigenvalue correction), overwriting; <paramref name="onPhase"/> gets each pass's summary.
    /// </summary>
    public async Task FitFactorsTwoPassAsync(string name, IReadOnlyList<Example> corpus, Action<FitPhase, FactorsSummary>? onPhase, CancellationToken token)
    {
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
        {
            var summary = await FitFactorsAsync(name, phase, corpus, 0, overwrite: true, null, token).ConfigureAwait(false);
            onPhase?.Invoke(phase, summary);
        }
    }

    /// <summary>A projected preconditioner fitted over the store (CPU, no model); <paramref name="onProgress"/> gets the service's progress messages as they arrive.</summary>
    public Task<PreconditionerInfo> FitStoreAsync(FitRequest request, Action<FitProgress>? onProgress, CancellationToken token) =>
        _calls.CallAsync(ServiceKind.Scoring, async () =>
        {
            using var call = scoring.Fit(request, cancellationToken: token);
            PreconditionerInfo? summary = null;
            await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (message.ItemCase == FitResponse.ItemOneofCase.Summary) summary = message.Summary;
                else if (message.ItemCase == FitResponse.ItemOneofCase.Progress) onProgress?.Invoke(message.Progress);
            }
            return summary ?? throw new RpcException(new Status(StatusCode.Internal, "Fit ended without a summary"));
        }, token);

    /// <summary>
    /// Query gradients of <paramref name="registration"/>'s queries from the GradientService, registered with the
    /// ScoringService as its query set with the recipe that lets stage 2 recompute them exactly. The registered (stage 1)
    /// gradient has the registration's projection (the store's when none); it is preconditioned by the full-space factors
    /// before projection only when <see cref="QueryRegistration.PreconditionStage1"/> (otherwise a store preconditioner is
    /// applied at scoring, the better stage 1: see docs/validation/fidelity.md).
    /// </summary>
    public async Task<RegisterQueriesResponse> RegisterQueriesAsync(QueryRegistration registration, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var projection = registration.Projection ?? await StoreProjectionAsync(token).ConfigureAwait(false);
        var request = new ComputeQueryGradientsRequest
        {
            Projection = projection, FactorsName = registration.PreconditionStage1 ? registration.FactorsName : "", Damping = registration.Damping,
        };
        request.Queries.AddRange(registration.Queries);
        var chunks = await _calls.CallAsync(ServiceKind.Gradients, async () =>
        {
            using var call = gradients.ComputeQueryGradients(request, cancellationToken: token);
            return await call.ResponseStream.ReadAllAsync(token).ToListAsync(token).ConfigureAwait(false);
        }, token).ConfigureAwait(false);
        return await _calls.CallAsync(ServiceKind.Scoring, async () =>
        {
            using var sink = scoring.RegisterQueries(cancellationToken: token);
            await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = registration.Header() }, token).ConfigureAwait(false);
            foreach (var chunk in chunks) await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = chunk }, token).ConfigureAwait(false);
            await sink.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await sink;
        }, token).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams a Score call: <paramref name="onChunk"/> gets each chunk of the full score dump (when the request asks
    /// for one), and the per-query results (top and bottom lists) are returned.
    /// </summary>
    public Task<List<QueryResult>> ScoreAsync(ScoreRequest request, Func<ScoreChunk, Task>? onChunk, CancellationToken token) =>
        _calls.CallAsync(ServiceKind.Scoring, async () =>
        {
            using var call = scoring.Score(request, cancellationToken: token);
            var results = new List<QueryResult>();
            await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (response.ItemCase == ScoreResponse.ItemOneofCase.Result) results.Add(response.Result);
                else if (onChunk is not null) await onChunk(response.Chunk).ConfigureAwait(false);
            }
            return results;
        }, token);

    private static string PhaseWords(FitPhase phase) => phase == FitPhase.Covariance ? "covariance" : "eigenvalue-correction";

    // The projection a registration without one gets: the store's; a store with nothing indexed has none to give.
    private async Task<ProjectionSpec> StoreProjectionAsync(CancellationToken token)
    {
        var info = await StoreInfoAsync(token).ConfigureAwait(false);
        return info.Exists && info.Schema is not null
            ? StoreProjection.Of(info.Schema)
            : throw new InvalidOperationException($"the store at {info.Path} has no examples, so no projection to register queries with: index a corpus first or name the projection");
    }

    private async Task<HashSet<string>> MissingAsync(IReadOnlyList<Example> corpus, CancellationToken token)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in corpus.Chunk(IdsPerRequest))
        {
            var request = new MissingExamplesRequest();
            request.Ids.AddRange(batch.Select(e => e.Id));
            var response = await scoring.MissingExamplesAsync(request, cancellationToken: token).ConfigureAwait(false);
            missing.UnionWith(response.Ids);
        }
        return missing;
    }
}
