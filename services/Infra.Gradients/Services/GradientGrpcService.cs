using System.Diagnostics;
using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Gradients.Hosting;
using Infra.Gradients.Mapping;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Core.Errors;

namespace Infra.Gradients.Services;

/// <summary>The gRPC edge of the gradient engine: validates, maps, calls the domain, streams results.</summary>
public sealed class GradientGrpcService(ModelSession session, EkfacFactorStore factorStore, ScoringForwarder forwarder, GradientMetrics metrics,
    ILogger<GradientGrpcService> logger)
    : GradientService.GradientServiceBase
{
    public override Task<GetModelInfoResponse> GetModelInfo(GetModelInfoRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        GradientLimits.Check(request.Projection, "projection", session.Options);
        var spec = WireTypes.ToProjection(request.Projection, session.Options.DefaultProjectionDim);
        spec.Validate();
        var config = session.Model.Config;
        var info = new GetModelInfoResponse
        {
            ModelType = config.ModelType,
            Fingerprint = session.Fingerprint,
            VocabSize = (uint)config.VocabSize,
            NumHiddenLayers = (uint)config.NumHiddenLayers,
            HiddenSize = (uint)config.HiddenSize,
            IntermediateSize = (uint)config.IntermediateSize,
            Projection = WireTypes.ToWire(spec),
            Device = session.DeviceName,
            ComputeDtype = WireTypes.ToWire(session.ComputeType),
            MaxLength = (uint)session.Computer.MaxLength,
            ChatFormat = Contracts.Gradients.V1.ChatFormat.Qwen25,
            CheckpointChatTemplate = session.ChatTemplate is not null,
            DefaultBatchSize = (uint)session.Options.DefaultBatchSize,
        };
        info.Layers.AddRange(session.Layers.Select(l => ToWire(l, spec)));
        return Task.FromResult(info);
    }

    public override async Task ComputeGradients(IAsyncStreamReader<ComputeGradientsRequest> requestStream,
        IServerStreamWriter<ComputeGradientsResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        var options = await FirstMessage(requestStream, r => r.Options, "GradientOptions", token).ConfigureAwait(false);
        GradientLimits.Check(options, session.Options);
        if (!options.IncludeTokenFactors && !options.IncludeExampleGradient)
            throw DomainException.InvalidArgument("GradientOptions asks for neither token factors nor example gradients", "options.include_example_gradient");
        var spec = WireTypes.ToProjection(options.Projection, session.Options.DefaultProjectionDim);
        var dtype = WireTypes.ToFactorDType(options.Dtype);
        var format = WireTypes.ToChatFormat(options.ChatFormat);
        var rendering = ExampleRendering.For(session, format);
        var batchSize = options.BatchSize == 0 ? session.Options.DefaultBatchSize : (int)options.BatchSize;
        var engine = new GradientEngine(session.Computer, session.ProjectorFor(spec))
        {
            IncludeTokenFactors = options.IncludeTokenFactors,
            IncludeExampleGradient = options.IncludeExampleGradient,
        };

        await using var batcher = new ExampleBatcher<ComputeGradientsRequest, Example>(requestStream, r => r.ItemCase == ComputeGradientsRequest.ItemOneofCase.Example
            ? r.Example
            : throw DomainException.InvalidArgument("GradientOptions may only be sent as the first message", "options"), batchSize, token);
        using var forward = string.IsNullOrEmpty(options.ForwardTo)
            ? null
            : await forwarder.OpenAsync(options.ForwardTo, IngestHeaderFor(spec, options), token).ConfigureAwait(false);
        // The model computes the next batch while this one is written (ComputeAheadBatches): see ComputeAhead.
        await using var computed = new ComputeAhead<ComputedBatch>(async stop =>
        {
            if (await batcher.NextAsync(stop).ConfigureAwait(false) is not { } batch) return null;
            var mapped = batch.Select(e => ExampleMapper.Map(e, rendering)).ToList();
            using (await session.AcquireAsync(stop).ConfigureAwait(false))
                return new ComputedBatch(batch, mapped.Select(m => m.Encoded).ToList(), engine.Compute(mapped.Select(m => m.Tokens).ToList(), options.Truncate));
        }, session.Options.ComputeAheadBatches, token);
        var clock = Stopwatch.StartNew();
        long examples = 0, tokens = 0;
        while (await computed.NextAsync(token).ConfigureAwait(false) is { } done)
        {
            var results = done.Factors;
            for (var i = 0; i < results.Count; i++)
            {
                foreach (var message in FactorMessages.ForExample(results[i], done.Encoded[i], done.Examples[i], dtype, session.Options.ChunkBytes))
                {
                    if (forward is null) await responseStream.WriteAsync(message, token).ConfigureAwait(false);
                    else await forward.WriteAsync(new IngestRequest { Gradient = message }, token).ConfigureAwait(false);
                }
                examples++;
                tokens += results[i].Example.Ids.Length;
                metrics.Processed(GradientMetrics.ComputeGradients, 1, results[i].Example.Ids.Length);
            }
            await responseStream.WriteAsync(new ComputeGradientsResponse { Progress = Progress(examples, tokens, clock) }, token).ConfigureAwait(false);
        }
        if (forward is not null)
        {
            var ingested = await forward.CompleteAsync(token).ConfigureAwait(false);
            await responseStream.WriteAsync(new ComputeGradientsResponse
            {
                Forwarded = new ForwardSummary { Stored = ingested.Stored, Skipped = ingested.Skipped, StoreExamples = ingested.StoreExamples },
            }, token).ConfigureAwait(false);
        }
        Log.GradientsDone(logger, examples, tokens, tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
    }

    public override async Task ComputeQueryGradients(ComputeQueryGradientsRequest request, IServerStreamWriter<ComputeQueryGradientsResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Queries.Count == 0) throw DomainException.InvalidArgument("no queries were given", "queries");
        GradientLimits.Check(request, session.Options);
        if (!double.IsFinite(request.Damping)) throw DomainException.InvalidArgument($"damping must be finite (<= 0 means 0.1 x mean eigenvalue); it is {request.Damping}", "damping");
        var token = context.CancellationToken;
        var spec = WireTypes.ToProjection(request.Projection, session.Options.DefaultProjectionDim);
        var dtype = WireTypes.ToFactorDType(request.Dtype);
        var format = WireTypes.ToChatFormat(request.ChatFormat);
        var rendering = ExampleRendering.For(session, format);
        var queries = request.Queries.Select(q => ExampleMapper.Map(q, rendering).Tokens).ToList();
        var engine = new QueryGradientEngine(session.Computer, session.ProjectorFor(spec));

        IReadOnlyList<QueryGradient> results;
        using (await session.AcquireAsync(token).ConfigureAwait(false))
        {
            // Read one layer at a time as the engine walks the layers: memory holds one layer's factors, whatever the depth.
            using var factors = string.IsNullOrEmpty(request.FactorsName)
                ? null
                : factorStore.OpenStreamed(request.FactorsName, session.Fingerprint, session.Layers.Select(l => l.Name).ToList());
            results = engine.Compute(queries, WireTypes.ToReduction(request.Reduction), request.Aggregate, factors, request.Damping,
                session.Options.DefaultBatchSize, request.Truncate, token);
        }
        var kIn = session.Layers.Select(l => spec.DimsFor(l.DIn, l.DOut).KIn).ToArray();
        foreach (var query in results)
            for (var l = 0; l < session.Layers.Count; l++)
                foreach (var chunk in FactorMessages.ForQuery(query, l, kIn[l], dtype, session.Options.ChunkBytes))
                    await responseStream.WriteAsync(chunk, token).ConfigureAwait(false);
    }

    public override async Task FitFactors(IAsyncStreamReader<FitFactorsRequest> requestStream, IServerStreamWriter<FitFactorsResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        var options = await FirstMessage(requestStream, r => r.Options, "FitFactorsOptions", token).ConfigureAwait(false);
        GradientLimits.Check(options, session.Options);
        EkfacFactorStore.ValidateName(options.Name, "options.name");
        var format = WireTypes.ToChatFormat(options.ChatFormat);
        var rendering = ExampleRendering.For(session, format);
        var batchSize = options.BatchSize == 0 ? session.Options.DefaultBatchSize : (int)options.BatchSize;
        var phase = WireTypes.ToFitPhase(options.Phase);
        using var fit = EkfacFitPass.Begin(factorStore, session.Computer, session.Fingerprint, options.Name, phase, options.Overwrite, format,
            options.Truncate, "options.name", session.Options.EkfacFit);
        await using var batcher = new ExampleBatcher<FitFactorsRequest, Example>(requestStream, r => r.ItemCase == FitFactorsRequest.ItemOneofCase.Example
            ? r.Example
            : throw DomainException.InvalidArgument("FitFactorsOptions may only be sent as the first message", "options"), batchSize, token);
        var clock = Stopwatch.StartNew();
        while (await batcher.NextAsync(token).ConfigureAwait(false) is { } batch)
        {
            var prepared = batch.Select(e => session.Computer.Prepare(ExampleMapper.Map(e, rendering).Tokens, options.Truncate, out _)).ToList();
            long tokens;
            using (await session.AcquireAsync(token).ConfigureAwait(false))
                tokens = fit.Add(prepared);
            metrics.Processed(GradientMetrics.FitFactors, prepared.Count, tokens);
            await responseStream.WriteAsync(new FitFactorsResponse { Progress = Progress(fit.Examples, fit.Tokens, clock) }, token).ConfigureAwait(false);
        }
        EkfacFactorsManifest manifest;
        // Groups after the first replay the spooled corpus here: the model is busy for the whole commit.
        using (await session.AcquireAsync(token).ConfigureAwait(false))
            manifest = fit.Commit(token);
        Log.FactorsFitted(logger, options.Name, manifest.Phase, fit.Examples, fit.Tokens);
        var summary = new FactorsSummary
        {
            Name = options.Name,
            Phase = options.Phase,
            Examples = (ulong)fit.Examples,
            Tokens = (ulong)fit.Tokens,
            ModelFingerprint = session.Fingerprint,
            Path = factorStore.PathOf(options.Name),
        };
        summary.Layers.AddRange(session.Layers.Select(l => ToWire(l, Core.Compression.ProjectionSpec.Exact)));
        await responseStream.WriteAsync(new FitFactorsResponse { Summary = summary }, token).ConfigureAwait(false);
    }

    public override async Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AnswerGenerator.Validate(request);
        GradientLimits.Check(request, session.Options);
        var format = WireTypes.ToChatFormat(request.ChatFormat);
        var maxNewTokens = request.MaxNewTokens == 0 ? AnswerGenerator.DefaultMaxNewTokens : checked((int)request.MaxNewTokens);
        var token = context.CancellationToken;
        var response = new GenerateResponse();
        using (await session.AcquireAsync(token).ConfigureAwait(false))
        {
            // Checked every decoded token: a cancelled or expired call frees the model within one step.
            foreach (var prompt in request.Prompts)
                response.Answers.Add(AnswerGenerator.Generate(session, prompt, maxNewTokens, format, token));
        }
        return response;
    }

    public override async Task ScoreExact(IAsyncStreamReader<ScoreExactRequest> requestStream, IServerStreamWriter<ScoreExactResponse> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        var options = await FirstMessage(requestStream, r => r.Options, "ExactScoringOptions", token).ConfigureAwait(false);
        GradientLimits.Check(options, session.Options);
        ExactScoringMessages.Validate(options, session.Fingerprint);
        var format = WireTypes.ToChatFormat(options.ChatFormat);
        var rendering = ExampleRendering.For(session, format);
        var batchSize = options.BatchSize == 0 ? session.Options.DefaultBatchSize : (int)options.BatchSize;
        var queries = options.Queries.Select(q => ExampleMapper.Map(q, rendering).Tokens).ToList();

        var clock = Stopwatch.StartNew();
        FullSpaceQueryGradients gradients;
        using (await session.AcquireAsync(token).ConfigureAwait(false))
        {
            clock.Restart(); // query_seconds is compute time, not the wait for the model
            using var factors = string.IsNullOrEmpty(options.FactorsName)
                ? null
                : factorStore.OpenStreamed(options.FactorsName, session.Fingerprint, session.Layers.Select(l => l.Name).ToList());
            gradients = new QueryGradientEngine(session.Computer, session.ProjectorFor(Core.Compression.ProjectionSpec.Exact))
                .ComputeFullSpace(queries, WireTypes.ToReduction(options.Reduction), factors, options.Damping, session.Options.DefaultBatchSize, options.Truncate,
                    session.Options.ExactQueryBudgetBytes, string.IsNullOrEmpty(session.Options.EkfacSpoolPath) ? null : session.Options.EkfacSpoolPath, token);
            if (options.MeanByDomain)
            {
                using var perQuery = gradients;
                gradients = perQuery.MeanBy(options.Queries.Select(q => q.Domain).ToList());
            }
        }
        using (gradients)
        {
            await responseStream.WriteAsync(ExactScoringMessages.Header(gradients, session.Fingerprint, clock.Elapsed.TotalSeconds), token).ConfigureAwait(false);
            var scorer = new ExactInfluenceScorer(session.Computer, gradients.Layers);
            await using var batcher = new ExampleBatcher<ScoreExactRequest, Example>(requestStream, r => r.ItemCase == ScoreExactRequest.ItemOneofCase.Candidate
                ? r.Candidate
                : throw DomainException.InvalidArgument("after ExactScoringOptions every message must carry a candidate", "options"), batchSize, token);
            clock.Restart();
            long examples = 0, tokens = 0;
            while (await batcher.NextAsync(token).ConfigureAwait(false) is { } batch)
            {
                token.ThrowIfCancellationRequested();
                var candidates = batch.Select(e => ExampleMapper.Map(e, rendering).Tokens).ToList();
                IReadOnlyList<ExactScores> scores;
                using (await session.AcquireAsync(token).ConfigureAwait(false))
                    scores = scorer.Score(candidates, options.Truncate, options.IncludeTokenScores);
                foreach (var s in scores)
                    await responseStream.WriteAsync(ExactScoringMessages.Scores(s), token).ConfigureAwait(false);
                examples += scores.Count;
                tokens += scores.Sum(s => s.Tokens);
                metrics.Processed(GradientMetrics.ScoreExact, scores.Count, scores.Sum(s => s.Tokens));
                await responseStream.WriteAsync(new ScoreExactResponse { Progress = Progress(examples, tokens, clock) }, token).ConfigureAwait(false);
            }
            Log.ExactScoringDone(logger, queries.Count, examples, tokens, clock.Elapsed.TotalSeconds);
        }
    }

    // What the ScoringService needs to create (or check) its store for forwarded examples.
    private IngestHeader IngestHeaderFor(Core.Compression.ProjectionSpec spec, GradientOptions options)
    {
        if (!options.IncludeExampleGradient)
            throw DomainException.InvalidArgument("forward_to needs include_example_gradient (the store scores example gradients)", "options.include_example_gradient");
        var header = new IngestHeader
        {
            ModelFingerprint = session.Fingerprint,
            Projection = WireTypes.ToWire(spec),
            StoreDtype = options.ForwardStoreDtype,
            TokenFactors = options.IncludeTokenFactors,
            Difficulty = options.ForwardDifficulty, // the scheme the client read the corpus with; the store saves it
        };
        header.Layers.AddRange(session.Layers.Select(l => ToWire(l, spec)));
        return header;
    }

    private static async Task<T> FirstMessage<TRequest, T>(IAsyncStreamReader<TRequest> stream, Func<TRequest, T?> select, string what,
        CancellationToken token) where T : class
    {
        if (!await stream.MoveNext(token).ConfigureAwait(false))
            throw DomainException.InvalidArgument($"the request stream is empty; the first message must carry {what}");
        return select(stream.Current) ?? throw DomainException.InvalidArgument($"the first message must carry {what}");
    }

    private static Contracts.Gradients.V1.Progress Progress(long examples, long tokens, Stopwatch clock) => new()
    {
        ExamplesDone = (ulong)examples,
        TokensDone = (ulong)tokens,
        TokensPerSecond = tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
        ElapsedSeconds = clock.Elapsed.TotalSeconds,
    };

    private static Contracts.Gradients.V1.TrackedLayer ToWire(Torch.Gradients.TrackedLayer l, Core.Compression.ProjectionSpec spec)
    {
        var (kIn, kOut) = spec.DimsFor(l.DIn, l.DOut);
        return new Contracts.Gradients.V1.TrackedLayer
        {
            Index = (uint)l.Index,
            Name = l.Name,
            DIn = (uint)l.DIn,
            DOut = (uint)l.DOut,
            KIn = (uint)kIn,
            KOut = (uint)kOut,
        };
    }
}
