using System.Runtime.InteropServices;
using Grpc.Core;
using Infra.Contracts.Grpc;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Services;

/// <summary>
/// The GradientService's statuses: the shared model of <see cref="StatusMappingInterceptor"/> (bad input ->
/// InvalidArgument naming the field, missing factors -> NotFound, mismatched factors -> FailedPrecondition,
/// anything else -> Internal with a correlation id), plus an example that cannot be processed -> InvalidArgument
/// and libtorch out of memory -> ResourceExhausted. Other libtorch errors are Internal with a correlation id.
/// The service keeps serving after any of them.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : StatusMappingInterceptor(logger)
{
    protected override StatusCode? Classify(Exception exception) => exception switch
    {
        InvalidExampleException => StatusCode.InvalidArgument,
        OutOfMemoryException => StatusCode.ResourceExhausted,
        ExternalException when exception.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => StatusCode.ResourceExhausted,
        _ => null,
    };
}
