using Grpc.Core;
using Infra.Contracts.Grpc;
using Infra.Core.Store;

namespace Infra.Scoring.Services;

/// <summary>
/// The ScoringService's statuses: bad input (dims, NaN/Inf, unknown example or query ids, conflicting
/// duplicates, another model's data) -> InvalidArgument; unknown query sets or preconditioners, or an
/// empty store -> NotFound; a store not ready for the call (stale or conflicting preconditioner, no
/// token factors, in use) -> FailedPrecondition; missing or corrupt files -> DataLoss.
/// </summary>
public sealed class ScoringErrorInterceptor(ILogger<ScoringErrorInterceptor> logger) : StatusMappingInterceptor(logger)
{
    protected override StatusCode? Classify(Exception exception) => exception switch
    {
        KeyNotFoundException or FileNotFoundException => StatusCode.NotFound,
        StoreException { Kind: StoreErrorKind.FailedPrecondition } => StatusCode.FailedPrecondition,
        StoreException { Kind: StoreErrorKind.Corrupt } => StatusCode.DataLoss,
        StoreException { Kind: StoreErrorKind.ResourceExhausted } => StatusCode.ResourceExhausted,
        StoreException or ArgumentException or InvalidDataException or FormatException => StatusCode.InvalidArgument,
        InvalidOperationException => StatusCode.FailedPrecondition,
        OutOfMemoryException => StatusCode.ResourceExhausted,
        IOException => StatusCode.Internal,
        _ => null,
    };
}
