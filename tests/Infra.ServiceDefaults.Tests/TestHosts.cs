using System.Diagnostics;
using System.Net;
using Infra.Gradients.Hosting;
using Infra.Scoring.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Infra.ServiceDefaults.Tests;

/// <summary>Real services on Kestrel (loopback unless a test says otherwise), optionally with in-memory telemetry exporters.</summary>
internal static class TestHosts
{
    public const string Key = "0123456789abcdef-test-key";

    /// <summary>A ScoringService builder over a fresh store folder with <paramref name="settings"/> layered on.</summary>
    public static WebApplicationBuilder ScoringBuilder(string storePath, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = storePath,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddScoringServices();
        return builder;
    }

    public static WebApplicationBuilder GradientBuilder(string modelPath, string factorsPath, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = modelPath,
            ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = factorsPath,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        return GradientServiceHost.CreateBuilder(all);
    }

    /// <summary>Adds in-memory exporters for traces and metrics.</summary>
    public static (List<Activity> Activities, List<Metric> Metrics) CaptureTelemetry(WebApplicationBuilder builder)
    {
        var activities = new List<Activity>();
        var metrics = new List<Metric>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(activities));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        return (activities, metrics);
    }

    /// <summary>Listens on 127.0.0.1, an ephemeral port, plain-text HTTP/2.</summary>
    public static void ListenLoopback(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));

    /// <summary>Builds, maps the service with <paramref name="map"/>, starts; returns the app and its first address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(WebApplicationBuilder builder, Action<WebApplication> map)
    {
        var app = builder.Build();
        map(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public static Task<(WebApplication App, Uri Address)> StartScoringAsync(WebApplicationBuilder builder) =>
        StartAsync(builder, app => app.MapScoringServices());

    public static Task<(WebApplication App, Uri Address)> StartGradientsAsync(WebApplicationBuilder builder) =>
        StartAsync(builder, app => app.MapGradientServices());

    public static string TempFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;
}
