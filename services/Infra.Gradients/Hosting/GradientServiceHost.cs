using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Infra.Gradients.Hosting;

/// <summary>Hosts the GradientService inside another process (the CLI's demo, benchmarks, tests).</summary>
public static class GradientServiceHost
{
    /// <summary>A builder with the service registered and <paramref name="settings"/> layered over the usual configuration.</summary>
    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?> settings, string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(args ?? []);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddGradientServices();
        return builder;
    }

    /// <summary>Starts the service on an ephemeral 127.0.0.1 port (plain-text HTTP/2) and returns it with its address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartLoopbackAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken = default)
    {
        var builder = CreateBuilder(settings);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGradientServices();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }
}
