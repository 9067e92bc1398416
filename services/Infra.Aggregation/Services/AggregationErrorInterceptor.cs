using Grpc.Core;
using Infra.Aggregation.Sequences;
using Infra.Contracts.Grpc;

namespace Infra.Aggregation.Services;

/// <summary>
/// The AggregationService's statuses: the shared model of <see cref="StatusMappingInterceptor"/> (bad requests ->
/// InvalidArgument naming the field; unknown query sets -> NotFound; a store or service not ready for the call ->
/// FailedPrecondition; anything else -> Internal with a correlation id), plus an unusable behaviour lexicon ->
/// InvalidArgument. Errors of the ScoringService and GradientService arrive as <see cref="RpcException"/>s already
/// named by <see cref="Client.Calls.Downstream"/> and pass through.
/// </summary>
public sealed class AggregationErrorInterceptor(ILogger<AggregationErrorInterceptor> logger) : StatusMappingInterceptor(logger)
{
    protected override StatusCode? Classify(Exception exception) => exception is BehaviourLexiconException ? StatusCode.InvalidArgument : null;
}
