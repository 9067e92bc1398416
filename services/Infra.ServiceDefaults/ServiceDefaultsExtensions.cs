using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Infra.ServiceDefaults;

/// <summary>What every Infra host adds first: logs, telemetry, the API-key gate and its start-up checks.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Adds, once per host (a second call does nothing):
    /// <list type="bullet">
    /// <item>Console logs with scopes carrying the trace and span ids; <c>Logging:Console:FormatterName=json</c>
    /// (environment <c>Logging__Console__FormatterName=json</c>) writes one JSON object a line, UTC timestamps.
    /// Defaults to the plain "simple" formatter.</item>
    /// <item>OpenTelemetry traces (incoming gRPC/HTTP requests, outgoing gRPC calls) and metrics (request rates and
    /// durations, outgoing calls, .NET runtime, the meters in <see cref="InfraMeterNames"/>), logs too; exported
    /// over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (nothing leaves the process otherwise).
    /// The service name is <c>OTEL_SERVICE_NAME</c>, defaulting to the application name (e.g. "Infra.Scoring").</item>
    /// <item><see cref="SecurityOptions"/> ("Security" section), validated at start-up; <see cref="ApiKeyInterceptor"/>
    /// as the outermost gRPC interceptor; the refusal to listen on a non-loopback address without a key unless
    /// Security:AllowInsecure.</item>
    /// <item><see cref="ConcurrencyOptions"/> ("Concurrency" section), validated at start-up; <see cref="ConcurrencyLimitInterceptor"/>
    /// right after the API-key gate: beyond the limit a call queues briefly, then ends with RESOURCE_EXHAUSTED.</item>
    /// </list>
    /// Call it before the service's own AddGrpc registration is resolved (any point while building).
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(ServiceDefaultsMarker))) return builder;
        builder.Services.AddSingleton<ServiceDefaultsMarker>();
        AddLogging(builder);
        AddTelemetry(builder);
        AddSecurity(builder);
        AddConcurrencyLimit(builder);
        return builder;
    }

    private static void AddLogging(IHostApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        // Defaults for the JSON formatter that configuration can still override (Logging:Console:FormatterOptions:*).
        var formatter = builder.Configuration.GetSection("Logging:Console:FormatterOptions");
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            if (formatter["IncludeScopes"] is null) o.IncludeScopes = true;
            if (formatter["UseUtcTimestamp"] is null) o.UseUtcTimestamp = true;
            if (formatter["TimestampFormat"] is null) o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            if (formatter["IncludeScopes"] is null) o.IncludeScopes = true;
        });
    }

    private static void AddTelemetry(IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : builder.Environment.ApplicationName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Container health checks poll every few seconds: not worth a trace each.
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal);
                })
                .AddGrpcClientInstrumentation())
            .WithMetrics(m => m
                // http.server.request.duration (rates and latencies of every gRPC method, by route and status).
                .AddAspNetCoreInstrumentation()
                // http.client.request.duration: the outgoing gRPC calls (GradientService -> ScoringService, ...).
                .AddMeter("System.Net.Http")
                .AddRuntimeInstrumentation()
                .AddMeter([.. InfraMeterNames.All]));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
    }

    private static void AddSecurity(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>()
            .Bind(builder.Configuration.GetSection(SecurityOptions.Section))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());
        builder.Services.AddSingleton<ApiKeyInterceptor>();
        // Outermost: a call without the key is refused before any service interceptor or handler runs.
        builder.Services.PostConfigure<GrpcServiceOptions>(o =>
        {
            var limited = o.Interceptors.Any(i => i.Type == typeof(ConcurrencyLimitInterceptor));
            var others = o.Interceptors.Where(i => i.Type != typeof(ApiKeyInterceptor) && i.Type != typeof(ConcurrencyLimitInterceptor)).ToList();
            o.Interceptors.Clear();
            o.Interceptors.Add<ApiKeyInterceptor>();
            // Second: a call over the concurrency limit is refused before any service work, once authorized.
            if (limited) o.Interceptors.Add<ConcurrencyLimitInterceptor>();
            foreach (var other in others) o.Interceptors.Add(other);
        });
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<SecurityOptions>>((kestrel, security) =>
            kestrel.ConfigureEndpointDefaults(listen => ListenAddressGuard.CheckEndpoint(listen, security.Value)));
        builder.Services.AddHostedService<ListenAddressGuard>();
    }

    private static void AddConcurrencyLimit(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConcurrencyOptions>()
            .Bind(builder.Configuration.GetSection(ConcurrencyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ConcurrencyLimitInterceptor>();
        builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<ConcurrencyLimitInterceptor>());
    }

    private sealed class ServiceDefaultsMarker;
}
