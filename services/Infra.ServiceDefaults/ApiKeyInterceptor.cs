using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Infra.ServiceDefaults;

/// <summary>
/// The server side of the API key: with <see cref="SecurityOptions.ApiKey"/> set, a call without the
/// <c>x-api-key</c> metadata, or with another key, ends with <see cref="StatusCode.Unauthenticated"/>
/// before the service sees it. grpc.health.v1 stays open (container health checks carry no secret and
/// learn nothing but SERVING).
/// </summary>
public sealed class ApiKeyInterceptor : Interceptor
{
    /// <summary>Methods under this prefix pass without a key.</summary>
    public const string OpenPrefix = "/grpc.health.v1.Health/";

    private readonly string? _key;

    public ApiKeyInterceptor(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.ResolveApiKey();
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_key is null || context.Method.StartsWith(OpenPrefix, StringComparison.Ordinal)) return;
        var presented = context.RequestHeaders.GetValue(ApiKeyMetadata.Name);
        if (presented is null)
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"this service requires an API key: send it as the '{ApiKeyMetadata.Name}' metadata (the key is the service's {SecurityOptions.Section}:ApiKey)"));
        if (!ApiKeyMetadata.Matches(_key, presented))
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"the '{ApiKeyMetadata.Name}' metadata does not match this service's {SecurityOptions.Section}:ApiKey"));
    }
}
