using Infra.Contracts.Grpc;
using Infra.Aggregation.Clients;
using Infra.Aggregation.Services;
using Infra.Client.Sharding;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Infra.Aggregation.Hosting;

/// <summary>Registration and in-process hosting of the AggregationService.</summary>
public static class AggregationServiceExtensions
{
    /// <summary>
    /// Options (validated at start-up), gRPC with health and reflection, and the ScoringService and GradientService
    /// clients from Grpc.Net.ClientFactory with call-context propagation: every downstream call made while serving a
    /// request carries that request's deadline and is cancelled with it. A ScoringAddress naming several shards gets
    /// one client over all of them instead (<see cref="ScoringShardChannels"/>, with the same propagation), and a
    /// GradientAddress naming several workers one channel per worker (<see cref="GradientWorkerChannels"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAggregationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Infra.ServiceDefaults.ServiceDefaultsExtensions.AddServiceDefaults(builder);
        builder.Services.AddOptions<AggregationServiceOptions>()
            .Bind(builder.Configuration.GetSection(AggregationServiceOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<AggregationErrorInterceptor>();
            o.MaxReceiveMessageSize = 16 * 1024 * 1024;
            o.MaxSendMessageSize = 16 * 1024 * 1024;
        });
        builder.Services.AddGrpcReflection();
        // Score dumps arrive in chunks under 16 MB (the ScoringService's own send limit).
        var scoring = builder.Configuration.GetSection(AggregationServiceOptions.Section)[nameof(AggregationServiceOptions.ScoringAddress)];
        if (ScoringAddresses.TryParse(scoring, out var shards, out _) && shards!.Single is null)
        {
            // Several shards (or a dns:// name): one client over all of them, fanning out and merging every call.
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddSingleton<ScoringShardChannels>();
            builder.Services.AddSingleton(sp => sp.GetRequiredService<ScoringShardChannels>().Client);
        }
        else
        {
            builder.Services.AddGrpcClient<ScoringService.ScoringServiceClient>((sp, o) =>
                    o.Address = ScoringAddresses.Parse(sp.GetRequiredService<IOptions<AggregationServiceOptions>>().Value.ScoringAddress!).Single)
                .ConfigureChannel(c => c.MaxReceiveMessageSize = 16 * 1024 * 1024)
                .AddHttpMessageHandler<ForwardApiKeyHandler>()
                .EnableCallContextPropagation(o => o.SuppressContextNotFoundErrors = true);
        }
        var gradients = builder.Configuration.GetSection(AggregationServiceOptions.Section)[nameof(AggregationServiceOptions.GradientAddress)];
        if (GradientAddresses.TryParse(gradients, out var workers, out _) && workers!.Single is null)
        {
            // Several GradientService workers (or a dns:// name): one channel each, stage 2 spread over them.
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddSingleton<GradientWorkerChannels>();
        }
        else if (gradients is { Length: > 0 })
        {
            builder.Services.AddGrpcClient<GradientService.GradientServiceClient>((sp, o) =>
                    o.Address = GradientAddresses.Parse(sp.GetRequiredService<IOptions<AggregationServiceOptions>>().Value.GradientAddress!).Single)
                .AddHttpMessageHandler<ForwardApiKeyHandler>()
                .EnableCallContextPropagation(o => o.SuppressContextNotFoundErrors = true);
        }
        builder.Services.AddTransient<ForwardApiKeyHandler>();
        builder.Services.AddSingleton<ScoringPuller>();
        builder.Services.AddSingleton<GradientCaller>();
        // Liveness of this process; whether the ScoringService answers is reported per call (Unavailable), not here.
        builder.Services.AddGrpcHealthChecks(o =>
        {
            // "" is the server; the service's full name is what clients and grpc_health_probe -service ask for.
            o.Services.Clear();
            o.Services.Map("", _ => true);
            o.Services.Map(Infra.Contracts.Aggregation.V1.AggregationService.Descriptor.FullName, _ => true);
        }).AddCheck("self", () => HealthCheckResult.Healthy());
        builder.Services.AddRequestDecodingErrors();
        return builder;
    }

    /// <summary>Maps the AggregationService, health and reflection.</summary>
    public static WebApplication MapAggregationServices(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<AggregationGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>Starts the service on an ephemeral 127.0.0.1 port (plain-text HTTP/2).</summary>
    public static async Task<(WebApplication App, Uri Address)> StartLoopbackAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAggregationServices();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapAggregationServices();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }
}
