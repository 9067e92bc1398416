using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Infra.Contracts.Grpc;

/// <summary>
/// grpc-dotnet's own way of finding a service's methods (the generated <c>BindService</c> named by
/// <see cref="BindServiceMethodAttribute"/>), with each method's request marshaller wrapped by
/// <see cref="RequestDecoding"/>. It replaces the default provider, so every mapped service (health and reflection
/// included) answers undecodable requests with INVALID_ARGUMENT. Registered by
/// <see cref="RequestDecodingExtensions.AddRequestDecodingErrors"/>.
/// </summary>
public sealed class DecodingServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind) continue;
            var method = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
            // The generated BindService only reads the handlers to bind them; the provider resolves its own per call.
            method?.Invoke(null, [new Binder(context), null]);
            return;
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            if (Find<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]) is { } found)
                context.AddUnaryMethod(RequestDecoding.Wrap(method), found.Metadata, found.Invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (Find<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]) is { } found)
                context.AddClientStreamingMethod(RequestDecoding.Wrap(method), found.Metadata, found.Invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (Find<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                    [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]) is { } found)
                context.AddServerStreamingMethod(RequestDecoding.Wrap(method), found.Metadata, found.Invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (Find<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                    [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]) is { } found)
                context.AddDuplexStreamingMethod(RequestDecoding.Wrap(method), found.Metadata, found.Invoker);
        }

        // As grpc-dotnet's binder: an open delegate over the service's public override, the service's and the method's
        // attributes as endpoint metadata (authorization, CORS), POST only. A method the service does not override
        // binds to the generated base, which answers UNIMPLEMENTED.
        private static (TDelegate Invoker, List<object> Metadata)? Find<TDelegate>(string name, Type[] parameters) where TDelegate : Delegate
        {
            var handler = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
            if (handler is null) return null;
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }
    }
}
