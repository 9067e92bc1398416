using Infra.Contracts.Grpc;
using Grpc.AspNetCore.Server;
using Infra.Scoring.Services;
using Infra.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Infra.Scoring.Hosting;

/// <summary>Registration and in-process hosting of the ScoringService.</summary>
public static class ScoringServiceExtensions
{
    /// <summary>The service defaults (logs, telemetry, API key), options (validated at start-up), the store host, gRPC with health and reflection.</summary>
    public static IHostApplicationBuilder AddScoringServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults();
        builder.Services.AddOptions<ScoringServiceOptions>()
            .Bind(builder.Configuration.GetSection(ScoringServiceOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StoreHost>();
        builder.Services.AddSingleton<ScoringMetrics>();
        builder.Services.AddGrpc(o => o.Interceptors.Add<ScoringErrorInterceptor>());
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<ScoringServiceOptions>>((grpc, scoring) =>
        {
            grpc.MaxReceiveMessageSize = scoring.Value.MaxReceiveMessageBytes;
            grpc.MaxSendMessageSize = scoring.Value.MaxSendMessageBytes;
        });
        builder.Services.AddGrpcReflection();
        // Liveness of this process: the store was opened (and verified) at start-up, so a serving process has a usable
        // one. Without a registered check the gRPC health service answers UNKNOWN, which health probes read as down.
        builder.Services.AddGrpcHealthChecks(o =>
        {
            // "" is the server; the service's full name is what clients and grpc_health_probe -service ask for.
            o.Services.Clear();
            o.Services.Map("", _ => true);
            o.Services.Map(Infra.Contracts.Scoring.V1.ScoringService.Descriptor.FullName, _ => true);
        }).AddCheck("self", () => HealthCheckResult.Healthy());
        builder.Services.AddRequestDecodingErrors();
        return builder;
    }

    /// <summary>Maps the ScoringService, health and reflection; opens the store now so a corrupt one fails start-up.</summary>
    public static WebApplication MapScoringServices(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<ScoringGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        _ = app.Services.GetRequiredService<StoreHost>();
        // Now, so the store gauges report from the start rather than from the first call.
        _ = app.Services.GetRequiredService<ScoringMetrics>();
        return app;
    }

    /// <summary>Starts the service on an ephemeral 127.0.0.1 port (plain-text HTTP/2).</summary>
    public static Task<(WebApplication App, Uri Address)> StartLoopbackAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken = default) =>
        StartLoopbackAsync(settings, configure: null, cancellationToken);

    /// <summary>Starts the service on an ephemeral 127.0.0.1 port (plain-text HTTP/2).</summary>
    /// <param name="settings">Configuration (e.g. <c>Scoring:StorePath</c>).</param>
    /// <param name="configure">Extra registrations after the service's own (tests: a <see cref="Core.Store.StoreWriteHook"/>); null for none.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<(WebApplication App, Uri Address)> StartLoopbackAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configure,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddScoringServices();
        configure?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapScoringServices();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }
}
