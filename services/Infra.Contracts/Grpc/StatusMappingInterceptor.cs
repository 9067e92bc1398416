using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Infra.Contracts.Grpc;

/// <summary>
/// Turns domain exceptions into gRPC statuses with their message intact, so service methods stay
/// free of try/catch. A service supplies <see cref="Classify"/>; unclassified exceptions pass through
/// (and become <c>Unknown</c>). Internal and ResourceExhausted failures are logged with their stack.
/// </summary>
public abstract partial class StatusMappingInterceptor(ILogger logger) : Interceptor
{
    /// <summary>The status for <paramref name="exception"/>, or null to let it pass.</summary>
    protected abstract StatusCode? Classify(Exception exception);

    /// <summary>The message sent to the client; defaults to the exception's message.</summary>
    protected virtual string Describe(Exception exception, StatusCode status)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Message;
    }

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

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
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
        if (ex is RpcException) return null;
        var status = ex is OperationCanceledException ? StatusCode.Cancelled : Classify(ex);
        if (status is null) return null;
        if (status is StatusCode.Internal or StatusCode.ResourceExhausted) LogFailure(logger, ex);
        else if (status != StatusCode.Cancelled) LogRefusal(logger, ex.Message);
        return new RpcException(new Status(status.Value, Describe(ex, status.Value)));
    }

    [LoggerMessage(100, LogLevel.Error, "Request failed")]
    private static partial void LogFailure(ILogger logger, Exception exception);

    [LoggerMessage(101, LogLevel.Warning, "Refused a request: {Reason}")]
    private static partial void LogRefusal(ILogger logger, string reason);
}
