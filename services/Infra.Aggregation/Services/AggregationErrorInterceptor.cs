using Grpc.Core;
using Infra.Aggregation.Sequences;
using Infra.Contracts.Grpc;

namespace Infra.Aggregation.Services;

/// <summary>
/// The AggregationService's statuses: bad requests (unknown grouping, bad knobs, empty prompt, a malformed
/// corpus) -> InvalidArgument; unknown query sets -> NotFound (as the ScoringService says it); a store or
/// service not ready for the call (empty store, no GradientService configured, another model) ->
/// FailedPrecondition. Errors of the ScoringService and GradientService arrive as <see cref="RpcException"/>s
/// already named by <see cref="Client.Calls.Downstream"/> and pass through.
/// </summary>
public sealed class AggregationErrorInterceptor(ILogger<AggregationErrorInterceptor> logger) : StatusMappingInterceptor(logger)
{
    protected override StatusCode? Classify(Exception exception) => exception switch
    {
        KeyNotFoundException => StatusCode.NotFound,
        BehaviourLexiconException or ArgumentException or InvalidDataException or FormatException => StatusCode.InvalidArgument,
        InvalidOperationException => StatusCode.FailedPrecondition,
        IOException or UnauthorizedAccessException => StatusCode.Internal,
        _ => null,
    };
}
