using System.Threading.Channels;
using Grpc.Core;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Preconditioning;
using Infra.Core.Scoring;
using Infra.Core.Store;
using Infra.Scoring.Hosting;
using Infra.Scoring.Mapping;
using Infra.Core.Errors;
using CoreScored = Infra.Core.Scoring.ScoredExample;
using WireScored = Infra.Contracts.Scoring.V1.ScoredExample;

namespace Infra.Scoring.Services;

/// <summary>The gRPC edge of the store, preconditioners and scorers: validate, map, call the domain, stream results.</summary>
public sealed class ScoringGrpcService(StoreHost host, ScoringMetrics metrics) : ScoringService.ScoringServiceBase
{
    public override async Task<IngestResponse> Ingest(IAsyncStreamReader<IngestRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token).ConfigureAwait(false) || requestStream.Current.Header is null)
            throw DomainException.InvalidArgument("the first message must carry an IngestHeader", "header");
        var schema = IngestMapper.ToSchema(requestStream.Current.Header);
        var store = host.ForIngest(schema);
        // This stream's own writer: other ingests commit alongside it, readers never wait for it.
        using var session = store.BeginIngest();
        var assembler = new ExampleAssembler(schema.Layers.Count);
        var response = new IngestResponse();
        try
        {
            while (await requestStream.MoveNext(token).ConfigureAwait(false))
            {
                var message = requestStream.Current.Gradient ?? throw DomainException.InvalidArgument("IngestHeader may only be sent as the first message");
                if (assembler.Accept(message) is not { } received) continue;
                response.Received++;
                var outcome = session.Add(IngestMapper.ToStoreExample(received, schema));
                if (outcome == IngestOutcome.Stored) response.Stored++;
                else response.Skipped++;
            }
        }
        finally
        {
            // Whatever arrived complete is committed, also when the stream breaks: a resumed ingest skips it.
            session.Flush();
            metrics.ObserveStore(store.Snapshot);
        }
        response.StoreExamples = (ulong)store.Count;
        return response;
    }

    public override Task<MissingExamplesResponse> MissingExamples(MissingExamplesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        ScoringLimits.Check(request, host.Options);
        var response = new MissingExamplesResponse();
        // Committed examples only: an id in flight in another ingest is missing until that ingest commits it.
        response.Ids.AddRange(host.Current?.Snapshot is { } snapshot ? snapshot.Missing(request.Ids) : request.Ids);
        return Task.FromResult(response);
    }

    public override async Task Fit(FitRequest request, IServerStreamWriter<FitResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        PreconditionerRepository.ValidateName(request.Name, "name");
        if (!double.IsFinite(request.Damping)) throw DomainException.InvalidArgument($"damping must be finite (<= 0 means 0.1 x mean eigenvalue per layer); it is {request.Damping}", "damping");
        var kind = IngestMapper.ToKind(request.Kind);
        var store = host.Required;
        var snapshot = store.Snapshot;
        // Fitted on one commit, outside any lock; only saving it commits (briefly). Examples committed meanwhile make it stale, as it says.
        // Progress goes to the caller as it happens (one message per layer's covariances), in order.
        var progress = Channel.CreateUnbounded<PreconditionerFitProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var fitting = Task.Run(() =>
        {
            try
            {
                return PreconditionerFitter.Fit(snapshot, request.Name, kind, request.Damping > 0 ? request.Damping : null,
                    new ChannelProgress<PreconditionerFitProgress>(progress.Writer), context.CancellationToken);
            }
            finally
            {
                progress.Writer.Complete();
            }
        });
        await foreach (var message in progress.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            await responseStream.WriteAsync(new FitResponse { Progress = FitProgressMapper.ToWire(message) }, context.CancellationToken).ConfigureAwait(false);
        var fitted = await fitting.ConfigureAwait(false);
        PreconditionerRepository.Save(store, fitted, request.Overwrite);
        var summary = new PreconditionerInfo { Name = fitted.Name, Kind = IngestMapper.ToWire(fitted.Kind), Examples = (ulong)fitted.Examples };
        summary.Damping.AddRange(fitted.Layers.Select(l => l.Damping));
        await responseStream.WriteAsync(new FitResponse { Summary = summary }).ConfigureAwait(false);
    }

    public override async Task<RegisterQueriesResponse> RegisterQueries(IAsyncStreamReader<RegisterQueriesRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token).ConfigureAwait(false) || requestStream.Current.Header is not { } header)
            throw DomainException.InvalidArgument("the first message must carry a QuerySetHeader", "header");
        ScoringLimits.QuerySet(header.Queries.Count, host.Options);
        var assembler = new QueryGradientAssembler();
        while (await requestStream.MoveNext(token).ConfigureAwait(false))
        {
            assembler.Accept(requestStream.Current.Chunk ?? throw DomainException.InvalidArgument("QuerySetHeader may only be sent as the first message"));
            ScoringLimits.QuerySet(assembler.Gradients.Count, host.Options);
        }
        var store = host.Required;
        var queries = QuerySetMapper.ToQueries(header, assembler, store.Schema);
        // The recipe's ids must be exactly the set's (the header's, or the chunks' when the header lists none): Save checks, naming the id.
        var recipe = header.Recipe is { } wire ? QueryRecipeMapper.ToCore(wire) : null;
        QuerySetRepository.Save(store, new QuerySet(header.Name, queries, recipe));
        return new RegisterQueriesResponse { Name = header.Name, Queries = (uint)queries.Count };
    }

    public override async Task Score(ScoreRequest request, IServerStreamWriter<ScoreResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        if (request.RankByNormalized && string.IsNullOrEmpty(request.Preconditioner))
            throw DomainException.InvalidArgument("rank_by_normalized needs a preconditioner (normalised scores are cosines in its metric)", "rank_by_normalized");
        ScoringLimits.Check(request, host.Options);
        var filter = new ScoreFilter(request.Domains.Count == 0 ? null : request.Domains.ToHashSet(StringComparer.Ordinal),
            request.HasMinDifficulty ? request.MinDifficulty : null, request.HasMaxDifficulty ? request.MaxDifficulty : null);
        // One commit for the whole call: a slow client holds nothing, and commits meanwhile do not change what it reads.
        var snapshot = host.Snapshot();
        var prepared = StoreHost.Prepare(snapshot, request.QuerySet, request.Preconditioner, request.QueryIds);
        // Checked before any scoring; null (nothing per example) when no column is asked for.
        var metadata = ScoreChunkMetadata.For(snapshot, request.MetadataColumns);
        var ids = prepared.Queries.Select(q => q.Id).ToList();
        var fidelity = Fidelity(snapshot.Schema, request.Preconditioner);
        // Full dumps stream while the scorer works: a bounded channel between the scoring thread and the
        // response stream keeps memory flat however large the store (HTTP/2 flow control pushes back).
        var chunks = Channel.CreateBounded<ScoreChunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        // The scorer is synchronous CPU work whose dump callback waits (blocks) while the client is slower than the
        // scan: it runs on a thread of its own, so a slow client never holds a thread-pool thread that async calls need.
        var scoring = Task.Factory.StartNew(() =>
        {
            try
            {
                // More than the store holds means all of them: the scorer's top-k buffers are sized by k, so a k near 2^32
                // would not wrap negative or allocate gigabytes.
                var topK = request.TopK == 0 ? 10 : (int)Math.Min(request.TopK, Math.Max(1, snapshot.Count));
                return new ExampleScorer(snapshot).Score(prepared.Preconditioned, ids, topK, filter,
                    prepared.Norms, request.RankByNormalized,
                    request.IncludeAllScores ? shard => { foreach (var c in ToChunks(shard, ids, metadata)) chunks.Writer.WriteAsync(c, token).AsTask().GetAwaiter().GetResult(); } : null,
                    token);
            }
            finally
            {
                chunks.Writer.Complete();
            }
        }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await foreach (var chunk in chunks.Reader.ReadAllAsync(token).ConfigureAwait(false))
            await responseStream.WriteAsync(new ScoreResponse { Chunk = chunk }, token).ConfigureAwait(false);
        var results = await scoring.ConfigureAwait(false);
        metrics.Scored(results.Sum(r => r.Scored));
        for (var q = 0; q < results.Count; q++)
        {
            var result = new QueryResult
            {
                QueryId = results[q].QueryId, Scored = (ulong)results[q].Scored, Measurement = prepared.Queries[q].Measurement, Domain = prepared.Queries[q].Domain,
                Fidelity = fidelity,
            };
            result.Top.AddRange(results[q].Top.Select(s => ToWire(s, fidelity)));
            result.Bottom.AddRange(results[q].Bottom.Select(s => ToWire(s, fidelity)));
            await responseStream.WriteAsync(new ScoreResponse { Result = result }, token).ConfigureAwait(false);
        }
    }

    public override async Task ScoreTokens(ScoreTokensRequest request, IServerStreamWriter<ScoreTokensResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        ScoringLimits.Check(request, host.Options);
        var store = host.Snapshot();
        var prepared = StoreHost.Prepare(store, request.QuerySet, request.Preconditioner, request.QueryIds);
        var ids = request.ExampleIds.Count > 0 ? request.ExampleIds.ToList() : store.Ids.ToList();
        var unknown = store.Missing(ids).FirstOrDefault();
        if (unknown is not null) throw DomainException.InvalidArgument($"example '{unknown}' is not in the store", "example_ids");
        var fidelity = Fidelity(store.Schema, request.Preconditioner);
        foreach (var scored in new TokenScorer(store).ScoreMany(ids, prepared.Preconditioned, cancellationToken: token))
        {
            var details = scored.Tokens;
            var message = new ScoreTokensResponse { ExampleId = scored.ExampleId, Text = details.Text, Fidelity = fidelity };
            message.QueryIds.AddRange(prepared.Queries.Select(q => q.Id));
            message.QueryDomains.AddRange(prepared.Queries.Select(q => q.Domain));
            message.TokenIds.AddRange(details.TokenIds);
            message.Tokens.AddRange(Enumerable.Range(0, details.TokenIds.Length).Select(details.TokenString));
            message.CharStarts.AddRange(details.CharStarts);
            message.CharLengths.AddRange(details.CharLengths);
            message.LossMask.AddRange(details.LossMask.Select(b => (uint)b));
            message.Scores.AddRange(scored.Scores);
            message.ExampleScores.AddRange(scored.ExampleScores);
            await responseStream.WriteAsync(message, token).ConfigureAwait(false);
        }
    }

    public override async Task ScoreStream(IAsyncStreamReader<ScoreStreamRequest> requestStream, IServerStreamWriter<ScoreStreamResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token).ConfigureAwait(false) || requestStream.Current.Header is not { } header)
            throw DomainException.InvalidArgument("the first message must carry a ScoreStreamHeader", "header");
        PreparedQueries prepared;
        StoreSchema schema;
        {
            var snapshot = host.Snapshot();
            schema = snapshot.Schema;
            var incoming = IngestMapper.ToSchema(new IngestHeader
            {
                ModelFingerprint = header.ModelFingerprint, Projection = header.Projection, StoreDtype = IngestMapper.ToHeader(schema).StoreDtype,
                TokenFactors = false, Layers = { header.Layers },
            });
            if (schema with { TokenFactors = false } is var expected && expected.Mismatch(incoming) is { } reason)
                throw DomainException.InvalidArgument($"the live stream does not match the store's queries: {reason}");
            prepared = StoreHost.Prepare(snapshot, header.QuerySet, header.Preconditioner, []);
        }
        var assembler = new ExampleAssembler(schema.Layers.Count);
        var queryIds = prepared.Queries.Select(q => q.Id).ToList();
        while (await requestStream.MoveNext(token).ConfigureAwait(false))
        {
            var message = requestStream.Current.Gradient ?? throw DomainException.InvalidArgument("ScoreStreamHeader may only be sent as the first message");
            if (assembler.Accept(message) is not { } received) continue;
            var gradient = IngestMapper.ToExampleGradient(received, schema.Layers.Count);
            var live = new ScoreStreamResponse
            {
                ExampleId = received.Header.Id, Domain = received.Header.Domain, Difficulty = received.Header.Difficulty, Fidelity = Fidelity(schema, header.Preconditioner),
            };
            live.QueryIds.AddRange(queryIds);
            live.Scores.AddRange(InfluenceScore.AgainstQueries(prepared.Preconditioned, gradient));
            await responseStream.WriteAsync(live, token).ConfigureAwait(false);
        }
    }

    public override Task<StoreInfoResponse> StoreInfo(StoreInfoRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new StoreInfoResponse { Path = host.Options.StorePath };
        if (host.Current?.Snapshot is not { } store) return Task.FromResult(response);
        response.Exists = true;
        response.Examples = (ulong)store.Count;
        response.Tokens = (ulong)store.TokenCount;
        response.Shards = (uint)store.Shards.Count;
        response.Schema = IngestMapper.ToHeader(store.Schema);
        foreach (var (name, entry) in store.Manifest.Preconditioners)
        {
            var info = new PreconditionerInfo { Name = name, Kind = IngestMapper.ToWire(entry.Kind), Examples = (ulong)entry.Examples };
            info.Damping.AddRange(entry.Damping);
            response.Preconditioners.Add(info);
        }
        response.QuerySets.AddRange(QuerySetRepository.Names(store));
        response.MetadataColumns.AddRange(MetadataColumnSummary.Of(store).Select(StoreInfoMapper.ToWire));
        // Cheap (one double per example) and saved, so every StoreInfo of a non-empty store names the estimate.
        if (EstimatedDifficultyFile.GetOrCompute(store) is { } estimate) response.EstimatedDifficulty = MetadataWire.ToWire(estimate.Scheme);
        return Task.FromResult(response);
    }

    public override Task<GetQuerySetResponse> GetQuerySet(GetQuerySetRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        QuerySetRepository.ValidateName(request.Name, "name");
        var set = QuerySetRepository.Describe(host.Snapshot(), request.Name);
        var header = new QuerySetHeader { Name = set.Name, Recipe = set.Recipe is { } recipe ? QueryRecipeMapper.ToWire(recipe) : null };
        header.Queries.AddRange(set.Queries.Select(q => new QueryInfo { Id = q.Id, Domain = q.Domain }));
        var response = new GetQuerySetResponse { Header = header, Preconditioned = set.Preconditioned };
        response.Measurements.AddRange(set.Queries.Select(q => q.Measurement));
        return Task.FromResult(response);
    }

    public override Task<ListQuerySetsResponse> ListQuerySets(ListQuerySetsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new ListQuerySetsResponse();
        if (host.Current?.Snapshot is not { } snapshot) return Task.FromResult(response);
        response.QuerySets.AddRange(QuerySetRepository.Names(snapshot).Select(name => QuerySetRepository.Describe(snapshot, name)).Select(set =>
            new QuerySetListing { Name = set.Name, Queries = (uint)set.Queries.Count, HasRecipe = set.Recipe is not null }));
        return Task.FromResult(response);
    }

    public override Task<DeleteQuerySetResponse> DeleteQuerySet(DeleteQuerySetRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        QuerySetRepository.Delete(host.Required, request.Name);
        return Task.FromResult(new DeleteQuerySetResponse { Name = request.Name });
    }

    public override async Task GetExamples(GetExamplesRequest request, IServerStreamWriter<GetExamplesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Ids.Count == 0) throw DomainException.InvalidArgument("GetExamplesRequest.ids is empty: name the examples to read", "ids");
        ScoringLimits.Check(request, host.Options);
        var token = context.CancellationToken;
        var store = host.Snapshot();
        // Every id is checked before anything streams, so a caller never gets a partial answer to a bad request.
        var unknown = store.Missing(request.Ids).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw DomainException.NotFound($"{unknown.Count} example id(s) are not in the store: {string.Join(", ", unknown.Take(10).Select(id => $"'{id}'"))}{(unknown.Count > 10 ? ", ..." : "")}", "ids");
        // In request order, a window at a time (each shard's metadata read once per window).
        foreach (var example in store.ReadExamples(request.Ids))
        {
            token.ThrowIfCancellationRequested();
            await responseStream.WriteAsync(StoredExampleMapper.ToWire(example), token).ConfigureAwait(false);
        }
    }

    private static ScoreFidelity Fidelity(StoreSchema schema, string preconditioner) =>
        ScoreFidelityRule.IsExact(schema, storePreconditionerApplied: !string.IsNullOrEmpty(preconditioner)) ? ScoreFidelity.Exact : ScoreFidelity.Approximate;

    private IEnumerable<ScoreChunk> ToChunks(ShardScores shard, IReadOnlyList<string> queryIds, ScoreChunkMetadata? metadata)
    {
        var m = shard.Queries;
        var rowsPerChunk = Math.Max(1, host.Options.ScoresPerChunk / Math.Max(m, 1));
        for (var start = 0; start < shard.Shard.Count; start += rowsPerChunk)
        {
            var count = Math.Min(rowsPerChunk, shard.Shard.Count - start);
            var chunk = new ScoreChunk();
            chunk.ExampleIds.AddRange(shard.Shard.Metadata.Ids.Skip(start).Take(count));
            chunk.Domains.AddRange(shard.Shard.Metadata.Domains.Skip(start).Take(count));
            chunk.Difficulties.AddRange(shard.Shard.Metadata.Difficulties.Skip(start).Take(count));
            chunk.QueryIds.AddRange(queryIds);
            chunk.Raw.AddRange(shard.Raw.Skip(start * m).Take(count * m));
            if (shard.Normalized is { } n) chunk.Normalized.AddRange(n.Skip(start * m).Take(count * m));
            metadata?.Fill(chunk, shard.Shard.Metadata, start, count);
            yield return chunk;
        }
    }

    private static WireScored ToWire(CoreScored s, ScoreFidelity fidelity) => new()
    {
        Id = s.Id, Domain = s.Domain, Difficulty = s.Difficulty, Score = s.Score, Normalized = s.Normalized ?? double.NaN, Fidelity = fidelity,
        ApproximateScore = fidelity == ScoreFidelity.Exact ? double.NaN : s.Score,
    };

    // Reports synchronously, in order (Progress<T> would post each report to the thread pool, unordered).
    private sealed class ChannelProgress<T>(ChannelWriter<T> writer) : IProgress<T>
    {
        public void Report(T value) => writer.TryWrite(value);
    }
}
