using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Grpc;

namespace Infra.Aggregation.Services;

/// <summary>The AggregationService's cost limits (<see cref="AggregationServiceOptions"/>), checked before a call does any work.</summary>
internal static class AggregationLimits
{
    private const string Prefix = AggregationServiceOptions.Section + ":";

    public static void Check(AggregateRequest request, AggregationServiceOptions options)
    {
        Selection(request.Queries, options);
        RequestLimit.AtMost("bootstrap_samples", request.BootstrapSamples, options.MaxBootstrapSamples, Prefix + nameof(options.MaxBootstrapSamples));
        TopK("top_k", request.TopK, options);
    }

    public static void Check(TopKRequest request, AggregationServiceOptions options)
    {
        Selection(request.Queries, options);
        TopK("k", request.K, options);
        TopK("sequences", request.Sequences, options);
        Ids("domains", request.Domains.Count, options);
    }

    public static void Check(SequencesRequest request, AggregationServiceOptions options)
    {
        Selection(request.Queries, options);
        Ids("example_ids", request.ExampleIds.Count, options);
    }

    public static void Check(TokenRankingRequest request, AggregationServiceOptions options)
    {
        Selection(request.Queries, options);
        Ids("example_ids", request.ExampleIds.Count, options);
        TopK("top", request.Top, options);
    }

    public static void Check(ReweightRequest request, AggregationServiceOptions options) => Selection(request.Queries, options);

    public static void Check(ReportRequest request, AggregationServiceOptions options)
    {
        Selection(request.Queries, options);
        TopK("top_k", request.TopK, options);
        RequestLimit.AtMost("heat_map_examples", request.HeatMapExamples, options.MaxHeatMapExamples, Prefix + nameof(options.MaxHeatMapExamples));
    }

    public static void Check(InfluenceRequest request, AggregationServiceOptions options)
    {
        TopK("top_examples", request.TopExamples, options);
        TopK("top_sequences", request.TopSequences, options);
        TopK("top_tokens", request.TopTokens, options);
        RequestLimit.AtMost("max_new_tokens", request.MaxNewTokens, options.MaxNewTokens, Prefix + nameof(options.MaxNewTokens));
        if (request.HasCandidates) Candidates("candidates", request.Candidates, options);
    }

    private static void Selection(QuerySelection? selection, AggregationServiceOptions options)
    {
        if (selection is null) return;
        Ids("queries.query_ids", selection.QueryIds.Count, options);
        if (selection.HasCandidates) Candidates("queries.candidates", selection.Candidates, options);
    }

    private static void TopK(string field, uint value, AggregationServiceOptions options) =>
        RequestLimit.AtMost(field, value, options.MaxTopK, Prefix + nameof(options.MaxTopK));

    private static void Candidates(string field, uint value, AggregationServiceOptions options) =>
        RequestLimit.AtMost(field, value, options.MaxCandidates, Prefix + nameof(options.MaxCandidates));

    private static void Ids(string field, int count, AggregationServiceOptions options) =>
        RequestLimit.Entries(field, count, options.MaxIdsPerRequest, Prefix + nameof(options.MaxIdsPerRequest));
}
