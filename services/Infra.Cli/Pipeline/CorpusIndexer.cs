using System.Diagnostics;
using Grpc.Core;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Cli.Pipeline;

/// <summary>
/// Streams a corpus through the GradientService into the ScoringService (forward_to), resumably: the store is asked
/// which ids it lacks first and only those are sent, so a rerun after a crash computes only what is missing. A new
/// store gets the given projection; an existing one dictates its own (projection, token factors, dtype), so a rerun
/// with other flags cannot produce a mismatched index.
/// </summary>
internal static class CorpusIndexer
{
    // MissingExamples requests stay far below gRPC's message limit with this many ids each.
    private const int IdsPerRequest = 10_000;

    /// <summary>Indexes <paramref name="corpus"/>; <paramref name="progress"/> gets the examples and tokens done.</summary>
    public static async Task<IndexResult> RunAsync(ServiceConnections services, Uri forwardTo, IReadOnlyList<Example> corpus, IndexOptions options,
        IProgressSink progress, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var clock = Stopwatch.StartNew();
        var scoring = services.Scoring;
        var info = await services.CallAsync(ServiceKind.Scoring, async () => await scoring.StoreInfoAsync(new StoreInfoRequest(), cancellationToken: token), token).ConfigureAwait(false);
        var missing = await services.CallAsync(ServiceKind.Scoring, () => MissingAsync(scoring, corpus, token), token).ConfigureAwait(false);
        var todo = corpus.Where(e => missing.Contains(e.Id)).ToList();
        progress.SetTotal(todo.Count);
        if (todo.Count == 0)
            return new IndexResult(corpus.Count, corpus.Count, 0, 0, 0, info.Examples, 0, clock.Elapsed.TotalSeconds);

        var gradientOptions = new GradientOptions
        {
            Projection = info.Exists ? StoreProjection.Of(info.Schema) : new ProjectionSpec { KIn = (uint)options.ProjectionDim, KOut = (uint)options.ProjectionDim, Seed = options.Seed },
            IncludeExampleGradient = true,
            IncludeTokenFactors = info.Exists ? info.Schema.TokenFactors : options.TokenFactors,
            BatchSize = (uint)options.BatchSize,
            Truncate = options.Truncate,
            ForwardTo = forwardTo.ToString(),
            ForwardStoreDtype = info.Exists && info.Schema.StoreDtype != WireDtype.Unspecified ? info.Schema.StoreDtype : options.StoreDtype,
        };
        var gradients = services.Gradients;
        var (summary, tokens) = await services.CallAsync(ServiceKind.Gradients, () => ForwardAsync(gradients, gradientOptions, todo, progress, token), token).ConfigureAwait(false);
        return new IndexResult(corpus.Count, corpus.Count - todo.Count, todo.Count, summary.Stored, summary.Skipped, summary.StoreExamples, tokens, clock.Elapsed.TotalSeconds);
    }

    private static async Task<HashSet<string>> MissingAsync(ScoringService.ScoringServiceClient scoring, IReadOnlyList<Example> corpus, CancellationToken token)
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

    private static async Task<(ForwardSummary Summary, long Tokens)> ForwardAsync(GradientService.GradientServiceClient client, GradientOptions options,
        IReadOnlyList<Example> examples, IProgressSink progress, CancellationToken token)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var call = client.ComputeGradients(cancellationToken: cancel.Token);
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = options }, cancel.Token).ConfigureAwait(false);
            foreach (var e in examples)
                await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e }, cancel.Token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }, cancel.Token);
        ForwardSummary? summary = null;
        long tokens = 0;
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancel.Token).ConfigureAwait(false))
            {
                if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Forwarded) summary = message.Forwarded;
                else if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Progress)
                {
                    tokens = (long)message.Progress.TokensDone;
                    progress.Report((long)message.Progress.ExamplesDone, tokens);
                }
            }
        }
        finally
        {
            // A failed response stream leaves the writer blocked on flow control: stop it before waiting for it.
            await cancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await sending.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
            {
                // The response stream's outcome (above) is the one that matters.
            }
        }
        return (summary ?? throw new RpcException(new Status(StatusCode.Internal, "the GradientService ended the stream without a forward summary")), tokens);
    }
}
