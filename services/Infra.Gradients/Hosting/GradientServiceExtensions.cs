using Infra.Contracts.Grpc;
using Grpc.AspNetCore.Server;
using Infra.Gradients.Services;
using Infra.ServiceDefaults;
using Infra.Torch.Ekfac;
using Microsoft.Extensions.Options;

namespace Infra.Gradients.Hosting;

/// <summary>Registration of the GradientService's parts.</summary>
public static class GradientServiceExtensions
{
    /// <summary>The service defaults (logs, telemetry, API key), options (validated at start-up), the model session, the factor store, gRPC with health and reflection.</summary>
    public static IHostApplicationBuilder AddGradientServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults();
        builder.Services.AddOptions<GradientServiceOptions>()
            .Bind(builder.Configuration.GetSection(GradientServiceOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Directory.Exists(o.ModelPath), $"{GradientServiceOptions.Section}:ModelPath must name an existing checkpoint folder")
            .ValidateOnStart();
        builder.Services.AddSingleton<ModelSession>();
        builder.Services.AddSingleton<ScoringForwarder>();
        builder.Services.AddSingleton<GradientMetrics>();
        builder.Services.AddSingleton(sp => new EkfacFactorStore(sp.GetRequiredService<IOptions<GradientServiceOptions>>().Value.FactorsPath));
        builder.Services.AddGrpc(o => o.Interceptors.Add<ErrorMappingInterceptor>());
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GradientServiceOptions>>((grpc, gradients) =>
        {
            grpc.MaxReceiveMessageSize = gradients.Value.MaxReceiveMessageBytes;
            grpc.MaxSendMessageSize = gradients.Value.MaxSendMessageBytes;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(o =>
        {
            // "" is the server; the service's full name is what clients and grpc_health_probe -service ask for.
            o.Services.Clear();
            o.Services.Map("", _ => true);
            o.Services.Map(Infra.Contracts.Gradients.V1.GradientService.Descriptor.FullName, _ => true);
        }).AddCheck<ModelHealthCheck>("model");
        builder.Services.AddRequestDecodingErrors();
        return builder;
    }

    /// <summary>Maps the GradientService, gRPC health and reflection.</summary>
    public static WebApplication MapGradientServices(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<GradientGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        // Load the model now rather than on the first call, so a bad checkpoint fails start-up.
        _ = app.Services.GetRequiredService<ModelSession>();
        return app;
    }
}
