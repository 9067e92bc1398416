using Infra.Contracts.Scoring.V1;
using Infra.Contracts.Grpc;

namespace Infra.Scoring.Services;

/// <summary>The ScoringService's cost limits (<see cref="ScoringServiceOptions"/>), checked before a call does any work.</summary>
internal static class ScoringLimits
{
    private const string Prefix = ScoringServiceOptions.Section + ":";

    public static void Check(ScoreRequest request, ScoringServiceOptions options)
    {
        RequestLimit.AtMost("top_k", request.TopK, options.MaxTopK, Prefix + nameof(options.MaxTopK));
        Ids("query_ids", request.QueryIds.Count, options);
        Ids("domains", request.Domains.Count, options);
    }

    public static void Check(ScoreTokensRequest request, ScoringServiceOptions options)
    {
        Ids("example_ids", request.ExampleIds.Count, options);
        Ids("query_ids", request.QueryIds.Count, options);
    }

    public static void Check(MissingExamplesRequest request, ScoringServiceOptions options) => Ids("ids", request.Ids.Count, options);

    public static void Check(GetExamplesRequest request, ScoringServiceOptions options) => Ids("ids", request.Ids.Count, options);

    /// <summary>A query set's size: the header's queries, or the distinct ids its chunks carried.</summary>
    public static void QuerySet(int queries, ScoringServiceOptions options) =>
        RequestLimit.Entries("QuerySetHeader.queries", queries, options.MaxQueriesPerSet, Prefix + nameof(options.MaxQueriesPerSet));

    private static void Ids(string field, int count, ScoringServiceOptions options) =>
        RequestLimit.Entries(field, count, options.MaxIdsPerRequest, Prefix + nameof(options.MaxIdsPerRequest));
}
