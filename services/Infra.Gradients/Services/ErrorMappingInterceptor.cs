using System.Runtime.InteropServices;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Infra.Gradients.Hosting;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Services;

/// <summary>
/// Maps domain and libtorch failures to gRPC statuses with the message intact, so service methods
/// stay free of try/catch: bad input -> InvalidArgument, missing factors -> NotFound, mismatched
/// factors -> FailedPrecondition, libtorch out of memory -> ResourceExhausted, other libtorch
/// errors -> Internal. The service keeps serving after any of them.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex) is { } mapped)
        {
            throw mapped;
        }
    }

    private RpcException? Map(Exception ex)
    {
        var status = ex switch
        {
            RpcException => (StatusCode?)null,
            OperationCanceledException => StatusCode.Cancelled,
            InvalidExampleException or ArgumentException or FormatException or InvalidDataException => StatusCode.InvalidArgument,
            FileNotFoundException or DirectoryNotFoundException => StatusCode.NotFound,
            InvalidOperationException => StatusCode.FailedPrecondition,
            OutOfMemoryException => StatusCode.ResourceExhausted,
            ExternalException when ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => StatusCode.ResourceExhausted,
            ExternalException => StatusCode.Internal,
            _ => null,
        };
        if (status is null) return null;
        if (status is StatusCode.Internal or StatusCode.ResourceExhausted) Log.TorchFailed(logger, ex);
        else if (status != StatusCode.Cancelled) Log.Refused(logger, ex.Message);
        var message = status is StatusCode.Internal or StatusCode.ResourceExhausted ? $"libtorch: {ex.Message}" : ex.Message;
        return new RpcException(new Status(status.Value, message));
    }
}
