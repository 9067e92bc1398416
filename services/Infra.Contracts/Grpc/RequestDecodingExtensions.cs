using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Infra.Contracts.Grpc;

/// <summary>Registration of <see cref="DecodingServiceMethodProvider{TService}"/>.</summary>
public static class RequestDecodingExtensions
{
    /// <summary>
    /// Undecodable requests become INVALID_ARGUMENT instead of UNKNOWN. Call after every AddGrpc* (health and
    /// reflection included): each of them registers grpc-dotnet's default provider again, which would map every
    /// method twice.
    /// </summary>
    public static IServiceCollection AddRequestDecodingErrors(this IServiceCollection services)
    {
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(DecodingServiceMethodProvider<>)));
        return services;
    }
}
