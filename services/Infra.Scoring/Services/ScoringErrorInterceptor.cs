using Grpc.Core;
using Infra.Contracts.Grpc;

namespace Infra.Scoring.Services;

/// <summary>
/// The ScoringService's statuses: the shared model of <see cref="StatusMappingInterceptor"/> (bad input ->
/// InvalidArgument naming the field; unknown query sets or preconditioners -> NotFound; a store not ready for the
/// call -> FailedPrecondition; missing or corrupt store files -> DataLoss; anything else -> Internal with a
/// correlation id), plus running out of memory -> ResourceExhausted.
/// </summary>
public sealed class ScoringErrorInterceptor(ILogger<ScoringErrorInterceptor> logger) : StatusMappingInterceptor(logger)
{
    protected override StatusCode? Classify(Exception exception) => exception is OutOfMemoryException ? StatusCode.ResourceExhausted : null;
}
