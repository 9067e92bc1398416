using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Scoring.Tests;

/// <summary>Client-side helpers: pipe gradient messages into Ingest, register queries, collect scores.</summary>
internal static class ScoringClient
{
    public static async Task<IngestResponse> IngestAsync(ScoringService.ScoringServiceClient client, IngestHeader header,
        IEnumerable<ComputeGradientsResponse> messages, CancellationToken token = default)
    {
        using var call = client.Ingest(cancellationToken: token);
        await call.RequestStream.WriteAsync(new IngestRequest { Header = header }, token);
        foreach (var m in messages) await call.RequestStream.WriteAsync(new IngestRequest { Gradient = m }, token);
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    public static async Task<RegisterQueriesResponse> RegisterAsync(ScoringService.ScoringServiceClient client, string name,
        IEnumerable<Example> queries, IEnumerable<ComputeQueryGradientsResponse> chunks)
    {
        using var call = client.RegisterQueries();
        var header = new QuerySetHeader { Name = name };
        header.Queries.AddRange(queries.Select(q => new QueryInfo { Id = q.Id, Domain = q.Domain }));
        await call.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = header });
        foreach (var c in chunks) await call.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = c });
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    public static async Task<List<ScoreResponse>> ScoreAsync(ScoringService.ScoringServiceClient client, ScoreRequest request)
    {
        using var call = client.Score(request);
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    public static async Task<List<FitResponse>> FitAsync(ScoringService.ScoringServiceClient client, FitRequest request)
    {
        using var call = client.Fit(request);
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }
}
