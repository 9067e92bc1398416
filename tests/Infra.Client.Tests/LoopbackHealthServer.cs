using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Infra.Client.Tests;

/// <summary>
/// A gRPC server on 127.0.0.1 (ephemeral port, plain-text HTTP/2) answering grpc.health.v1 as a GradientService does, with
/// whatever else a test maps beside it: what the worker tests stand a worker up with.
/// </summary>
internal static class LoopbackHealthServer
{
    /// <param name="serving">SERVING (default) or NOT_SERVING.</param>
    /// <param name="services">More registrations (a gRPC service's dependencies), or null.</param>
    /// <param name="map">More endpoints (a gRPC service), or null.</param>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(bool serving = true,
        Action<IServiceCollection>? services = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks().AddCheck("self", () => serving ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcHealthChecksService();
        map?.Invoke(app);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()));
    }
}
