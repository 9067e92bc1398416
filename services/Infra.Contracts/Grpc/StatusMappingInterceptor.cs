using Grpc.Core;
using Grpc.Core.Interceptors;
using Infra.Core.Checkpoints;
using Infra.Core.Errors;
using Infra.Core.Store;
using Infra.Core.Text;
using Microsoft.Extensions.Logging;

namespace Infra.Contracts.Grpc;

/// <summary>
/// The one error model of the services, so service methods stay free of try/catch. A failure the domain knows the
/// kind of (<see cref="DomainException"/>, <see cref="StoreException"/>, an unusable checkpoint or tokenizer file)
/// is sent as the status of that kind with its message and, when it names a request field, a google.rpc.BadRequest.
/// Anything else is a bug: it is logged with its stack under a fresh correlation id and sent as INTERNAL
/// "internal error (correlation id X)", never as a status guessed from its .NET type and never with its message
/// (which may hold server paths or .NET parameter names). The call's own cancellation is CANCELLED, or
/// DEADLINE_EXCEEDED once its deadline has passed. <see cref="RpcException"/>s pass unchanged.
/// </summary>
public abstract partial class StatusMappingInterceptor(ILogger logger) : Interceptor
{
    /// <summary>
    /// A service's own failure types (e.g. libtorch out of memory) and their status, or null for "not one of mine".
    /// Consulted after the shared domain types; the message is sent as it is, so only classify messages meant for callers.
    /// </summary>
    protected virtual StatusCode? Classify(Exception exception) => null;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, context) is { } mapped)
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
        catch (Exception ex) when (Map(ex, context) is { } mapped)
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
        catch (Exception ex) when (Map(ex, context) is { } mapped)
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
        catch (Exception ex) when (Map(ex, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The status of a known failure and the request field it names, or null for a bug.</summary>
    public static (StatusCode Code, string? Field)? Known(Exception exception) => exception switch
    {
        DomainException d => (ErrorStatus.CodeOf(d.Kind), d.Field),
        StoreException s => (StoreCode(s.Kind), null),
        // The server's own model or tokenizer files cannot serve the call: the operator, not the caller, must fix them.
        CheckpointException or TokenizerException => (StatusCode.FailedPrecondition, null),
        _ => null,
    };

    // Store kinds named like a status map to it (FailedPrecondition, ResourceExhausted, any added later).
    private static StatusCode StoreCode(StoreErrorKind kind) => kind switch
    {
        StoreErrorKind.InvalidData => StatusCode.InvalidArgument,
        StoreErrorKind.Corrupt => StatusCode.DataLoss,
        _ => Enum.TryParse<StatusCode>(kind.ToString(), out var code) ? code : StatusCode.Internal,
    };

    private RpcException? Map(Exception ex, ServerCallContext context)
    {
        if (ex is RpcException) return null;
        // The caller went away: its cancellation, its deadline, or a reset stream (which Kestrel reports as an IOException
        // from the request body while it fires the call's token). Not a bug, so no correlation id and no stack in the log.
        if (ex is OperationCanceledException or IOException && context.CancellationToken.IsCancellationRequested)
        {
            return context.Deadline <= DateTime.UtcNow
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed"))
                : new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        var classified = Known(ex);
        if (classified is null && Classify(ex) is { } own) classified = (own, null);
        if (classified is not { } known)
        {
            var correlationId = Guid.NewGuid().ToString("N");
            LogBug(logger, correlationId, context.Method, ex);
            return ErrorStatus.Internal(correlationId);
        }
        if (known.Code is StatusCode.Internal or StatusCode.ResourceExhausted or StatusCode.DataLoss) LogFailure(logger, context.Method, ex);
        else LogRefusal(logger, context.Method, known.Code, ex.Message);
        return ErrorStatus.Create(known.Code, ex.Message, known.Field);
    }

    [LoggerMessage(100, LogLevel.Error, "{Method} failed")]
    private static partial void LogFailure(ILogger logger, string method, Exception exception);

    [LoggerMessage(101, LogLevel.Warning, "{Method} refused ({Code}): {Reason}")]
    private static partial void LogRefusal(ILogger logger, string method, StatusCode code, string reason);

    [LoggerMessage(102, LogLevel.Error, "{Method} failed with an unexpected error, correlation id {CorrelationId}")]
    private static partial void LogBug(ILogger logger, string correlationId, string method, Exception exception);
}
