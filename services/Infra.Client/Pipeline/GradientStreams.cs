using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Pipeline;

/// <summary>
/// The three streaming conversations the pipelines (<c>infra demo</c>, <c>infra experiment</c>, validation) hold with the
/// GradientService and ScoringService: forward a corpus into the store, fit full-space EK-FAC, register query
/// gradients with their recipe. One place for the request shapes; callers print what they like from the results.
/// </summary>
public static class GradientStreams
{
    /// <summary>
    /// Forwards every example's projected gradients and token factors into the ScoringService at
    /// <paramref name="scoringAddress"/> (bf16 store); returns the store's summary (null if the service sent none).
    /// </summary>
    public static async Task<ForwardSummary?> ForwardIndexAsync(GradientService.GradientServiceClient client, Uri scoringAddress,
        IReadOnlyList<Example> corpus, ProjectionSpec projection, Action<Progress>? onProgress, CancellationToken token)
    {
        using var call = client.ComputeGradients(cancellationToken: token);
        var options = new GradientOptions
        {
            Projection = projection, IncludeExampleGradient = true, IncludeTokenFactors = true,
            ForwardTo = scoringAddress.ToString(), ForwardStoreDtype = WireDtype.Bfloat16,
        };
        var sending = SendAsync(call.RequestStream, new ComputeGradientsRequest { Options = options },
            corpus.Select(e => new ComputeGradientsRequest { Example = e }), token);
        ForwardSummary? summary = null;
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Forwarded) summary = message.Forwarded;
            else if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Progress) onProgress?.Invoke(message.Progress);
        }
        await sending.ConfigureAwait(false);
        return summary;
    }

    /// <summary>One pass of the GradientService's full-space EK-FAC fit under <paramref name="name"/> (overwriting); returns its summary.</summary>
    public static async Task<FactorsSummary?> FitPhaseAsync(GradientService.GradientServiceClient client, string name, FitPhase phase,
        IReadOnlyList<Example> corpus, CancellationToken token)
    {
        using var call = client.FitFactors(cancellationToken: token);
        var sending = SendAsync(call.RequestStream, new FitFactorsRequest { Options = new FitFactorsOptions { Name = name, Phase = phase, Overwrite = true } },
            corpus.Select(e => new FitFactorsRequest { Example = e }), token);
        FactorsSummary? summary = null;
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (message.ItemCase == FitFactorsResponse.ItemOneofCase.Summary) summary = message.Summary;
        }
        await sending.ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// Query gradients of <paramref name="queries"/> piped from the GradientService into the ScoringService as the query set
    /// <paramref name="querySet"/>, with the recipe that lets stage 2 recompute them exactly against the full-space factors
    /// <paramref name="factorsName"/>. The registered (stage 1) gradient is projected with <paramref name="projection"/>;
    /// it is preconditioned by the full-space factors before projection only when <paramref name="preconditionStage1"/>
    /// (otherwise a store preconditioner is applied at scoring, the better stage 1: see docs/validation/fidelity.md).
    /// </summary>
    public static async Task<RegisterQueriesResponse> RegisterQueriesAsync(GradientService.GradientServiceClient gradients,
        ScoringService.ScoringServiceClient scoring, IReadOnlyList<Example> queries, ProjectionSpec projection, string factorsName, string querySet,
        bool preconditionStage1, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(scoring);
        ArgumentNullException.ThrowIfNull(queries);
        var request = new ComputeQueryGradientsRequest { Projection = projection, FactorsName = preconditionStage1 ? factorsName : "" };
        request.Queries.AddRange(queries);
        using var source = gradients.ComputeQueryGradients(request, cancellationToken: token);
        using var sink = scoring.RegisterQueries(cancellationToken: token);
        await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = Header(querySet, queries, factorsName) }, token).ConfigureAwait(false);
        await foreach (var chunk in source.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = chunk }, token).ConfigureAwait(false);
        await sink.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await sink;
    }

    /// <summary>
    /// A query set's header: its queries' ids and domains, and the recipe for exact recomputation (the queries
    /// themselves, the full-space factors <paramref name="factorsName"/> ("" = none), the damping default).
    /// </summary>
    public static QuerySetHeader Header(string querySet, IReadOnlyList<Example> queries, string factorsName, double damping = 0)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var header = new QuerySetHeader { Name = querySet, Recipe = new QueryRecipe { FactorsName = factorsName ?? "", Damping = damping } };
        header.Queries.AddRange(queries.Select(q => new QueryInfo { Id = q.Id, Domain = q.Domain }));
        header.Recipe.Queries.AddRange(queries);
        return header;
    }

    // Requests go out concurrently with reading the responses, so a full-duplex stream never stalls on flow control.
    private static Task SendAsync<T>(IClientStreamWriter<T> writer, T first, IEnumerable<T> rest, CancellationToken token) => Task.Run(async () =>
    {
        await writer.WriteAsync(first, token).ConfigureAwait(false);
        foreach (var item in rest) await writer.WriteAsync(item, token).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
    }, token);
}
