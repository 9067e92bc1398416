using Grpc.Core;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Client.Pipeline;
using Infra.Client.Rerank;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Cli.Pipeline;

/// <summary>
/// Query gradients from the GradientService (with the store's projection; preconditioned by the full-space EK-FAC factors
/// before projection only when no store preconditioner is named), registered as a named set with the ScoringService with
/// their recipe, scored against every stored example (stage 1, the score files), and the top/bottom lists reranked
/// exactly (stage 2) unless <c>exact</c> is false.
/// </summary>
internal static class QueryScorer
{
    /// <summary>Registers <paramref name="queries"/> as <paramref name="querySet"/> and scores them.</summary>
    public static async Task<QueryScores> RunAsync(ServiceConnections services, IReadOnlyList<Example> queries, string querySet, string? factors, string? preconditioner,
        int topK, bool exact, int? candidates, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(queries);
        var scoring = services.Scoring;
        var info = await services.CallAsync(ServiceKind.Scoring, async () => await scoring.StoreInfoAsync(new StoreInfoRequest(), cancellationToken: token), token).ConfigureAwait(false);
        if (!info.Exists || info.Examples == 0)
            throw new CliException(ExitCodes.Failure, $"{services.Describe(ServiceKind.Scoring)} has no indexed examples yet: run 'infra index CORPUS' first");

        var stage1Factors = string.IsNullOrEmpty(preconditioner) ? factors ?? "" : "";
        var request = new ComputeQueryGradientsRequest { Projection = StoreProjection.Of(info.Schema), FactorsName = stage1Factors };
        request.Queries.AddRange(queries);
        var chunks = await services.CallAsync(ServiceKind.Gradients, async () =>
        {
            using var call = services.Gradients.ComputeQueryGradients(request, cancellationToken: token);
            var list = new List<ComputeQueryGradientsResponse>();
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false)) list.Add(chunk);
            return list;
        }, token).ConfigureAwait(false);

        await services.CallAsync(ServiceKind.Scoring, async () =>
        {
            using var sink = scoring.RegisterQueries(cancellationToken: token);
            var header = GradientStreams.Header(querySet, queries, factors ?? "");
            await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = header }, token).ConfigureAwait(false);
            foreach (var chunk in chunks) await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = chunk }, token).ConfigureAwait(false);
            await sink.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await sink;
        }, token).ConfigureAwait(false);

        var responses = await services.CallAsync(ServiceKind.Scoring, async () =>
        {
            using var call = scoring.Score(new ScoreRequest { QuerySet = querySet, Preconditioner = preconditioner ?? "", TopK = (uint)topK, IncludeAllScores = true },
                cancellationToken: token);
            var list = new List<ScoreResponse>();
            await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false)) list.Add(response);
            return list;
        }, token).ConfigureAwait(false);

        var matrix = Matrix(responses.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk).Select(r => r.Chunk).ToList());
        var domains = queries.ToDictionary(q => q.Id, q => q.Domain, StringComparer.Ordinal);
        if (!exact)
        {
            var stage1 = responses.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Result).Select(r => r.Result)
                .Select(r => new QueryScore(r.QueryId, domains.GetValueOrDefault(r.QueryId, ""), r.Measurement, r.Scored, r.Top.Select(Row).ToList(), r.Bottom.Select(Row).ToList()))
                .ToList();
            return new QueryScores(querySet, factors, preconditioner, stage1, matrix, ScoreFidelity.Approximate, 0);
        }

        // Stage 2: each query's candidates recomputed in the full space on the GradientService and ranked by exact scores.
        var scorer = new TwoStageScorer(scoring, new ExactRescorer(services.Gradients, services.Address(ServiceKind.Gradients)), services.Address(ServiceKind.Scoring));
        TwoStageResult ranked;
        try
        {
            ranked = await scorer.RankAsync(new TwoStageRequest { QuerySet = querySet, Preconditioner = preconditioner ?? "", K = topK, Candidates = candidates }, token)
                .ConfigureAwait(false);
        }
        catch (DomainException ex) when (ex.Kind == ErrorKind.InvalidArgument)
        {
            throw new CliException(ExitCodes.Usage, ex.Message);
        }
        var results = ranked.Queries.Select(r => new QueryScore(r.QueryId, domains.GetValueOrDefault(r.QueryId, ""), r.Measurement, (ulong)r.Scored,
            r.Top.Select(Row).ToList(), r.Bottom.Select(Row).ToList())).ToList();
        return new QueryScores(querySet, factors, preconditioner, results, matrix, ranked.Fidelity, ranked.Candidates);
    }

    private static ScoredRow Row(ScoredExample e) => new(e.Id, e.Domain, e.Difficulty, e.Score, e.Normalized, e.Score,
        e.Fidelity == ScoreFidelity.Unspecified ? ScoreFidelity.Approximate : e.Fidelity);

    private static ScoredRow Row(RankedExample e) => new(e.Id, e.Domain, e.Difficulty, e.Score, e.Normalized, e.ApproximateScore, e.Fidelity);

    // Chunks come in store order; rows are re-sorted by example id (ordinal) so equal stores give equal files.
    private static ScoreMatrix Matrix(List<ScoreChunk> chunks)
    {
        if (chunks.Count == 0) return new ScoreMatrix([], [], [], null);
        var queryIds = chunks[0].QueryIds.ToList();
        var q = queryIds.Count;
        var rows = new List<(string Id, double[] Raw, double[]? Normalized)>();
        foreach (var chunk in chunks)
        {
            var hasNormalized = chunk.Normalized.Count > 0;
            for (var i = 0; i < chunk.ExampleIds.Count; i++)
            {
                var raw = new double[q];
                double[]? normalized = hasNormalized ? new double[q] : null;
                for (var j = 0; j < q; j++)
                {
                    raw[j] = chunk.Raw[i * q + j];
                    if (normalized is not null) normalized[j] = chunk.Normalized[i * q + j];
                }
                rows.Add((chunk.ExampleIds[i], raw, normalized));
            }
        }
        rows.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var anyNormalized = rows.All(r => r.Normalized is not null);
        return new ScoreMatrix(queryIds, rows.Select(r => r.Id).ToList(), rows.SelectMany(r => r.Raw).ToArray(),
            anyNormalized ? rows.SelectMany(r => r.Normalized!).ToArray() : null);
    }
}
