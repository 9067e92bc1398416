using System.Runtime.InteropServices;
using Grpc.Core;
using Infra.Contracts.Grpc;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Services;

/// <summary>
/// The GradientService's statuses: bad input -> InvalidArgument, missing factors -> NotFound,
/// mismatched factors -> FailedPrecondition, libtorch out of memory -> ResourceExhausted, other
/// libtorch errors -> Internal. The service keeps serving after any of them.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : StatusMappingInterceptor(logger)
{
    protected override StatusCode? Classify(Exception exception) => exception switch
    {
        InvalidExampleException or ArgumentException or FormatException or InvalidDataException => StatusCode.InvalidArgument,
        FileNotFoundException or DirectoryNotFoundException => StatusCode.NotFound,
        InvalidOperationException => StatusCode.FailedPrecondition,
        OutOfMemoryException => StatusCode.ResourceExhausted,
        ExternalException when exception.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => StatusCode.ResourceExhausted,
        ExternalException => StatusCode.Internal,
        _ => null,
    };

    protected override string Describe(Exception exception, StatusCode status)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return status is StatusCode.Internal or StatusCode.ResourceExhausted ? $"libtorch: {exception.Message}" : exception.Message;
    }
}
