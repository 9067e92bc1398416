using System.Net;
using Infra.Aggregation.Hosting;
using Infra.Gradients.Hosting;
using Infra.Scoring.Hosting;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Infra.Testing;

/// <summary>
/// The real services on Kestrel, as the tests start them: a builder to add to (interceptors, telemetry exporters, other
/// listeners), 127.0.0.1 on an ephemeral port, and the app with the address it listens on.
/// </summary>
public static class LoopbackHosts
{
    /// <summary>A ScoringService builder over <paramref name="storePath"/> with <paramref name="settings"/> layered on.</summary>
    public static WebApplicationBuilder ScoringBuilder(string storePath, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(ServiceSettings.Scoring(storePath, settings));
        builder.AddScoringServices();
        return builder;
    }

    /// <summary>A GradientService builder on <paramref name="modelPath"/> (CPU) with <paramref name="settings"/> layered on.</summary>
    public static WebApplicationBuilder GradientBuilder(string modelPath, string factorsPath, IDictionary<string, string?>? settings = null) =>
        GradientServiceHost.CreateBuilder(ServiceSettings.Gradients(modelPath, factorsPath, settings));

    /// <summary>Listens on 127.0.0.1, an ephemeral port, plain-text HTTP/2.</summary>
    public static void ListenLoopback(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));

    /// <summary>Builds, maps the service with <paramref name="map"/>, starts; returns the app and its first address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(WebApplicationBuilder builder, Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A failure that escapes the services' error model (UNKNOWN "Exception was thrown by handler") names its exception
        // in the test's message instead of only in a server log nobody sees.
        builder.Services.Configure<GrpcServiceOptions>(o => o.EnableDetailedErrors = true);
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

    /// <summary>A GradientService on loopback (<see cref="GradientServiceHost.StartLoopbackAsync"/>) with the test settings.</summary>
    public static Task<(WebApplication App, Uri Address)> StartGradientsAsync(string modelPath, string factorsPath, IDictionary<string, string?>? settings = null) =>
        GradientServiceHost.StartLoopbackAsync(ServiceSettings.Gradients(modelPath, factorsPath, settings));

    /// <summary>A ScoringService on loopback (<c>ScoringServiceExtensions.StartLoopbackAsync</c>) with the test settings.</summary>
    public static Task<(WebApplication App, Uri Address)> StartScoringAsync(
        string storePath, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null) =>
        ScoringServiceExtensions.StartLoopbackAsync(ServiceSettings.Scoring(storePath, settings), configure);

    /// <summary>An AggregationService on loopback (<see cref="AggregationServiceExtensions.StartLoopbackAsync"/>) with the test settings.</summary>
    public static Task<(WebApplication App, Uri Address)> StartAggregationAsync(
        Uri scoringAddress, Uri? gradientAddress, string root, IDictionary<string, string?>? settings = null) =>
        AggregationServiceExtensions.StartLoopbackAsync(ServiceSettings.Aggregation(scoringAddress, gradientAddress, root, settings));

    /// <summary>A fresh folder under the temp directory.</summary>
    public static string TempFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;
}
