using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Infra.ServiceDefaults;

/// <summary>
/// Refuses to serve the network without a key: when a listening address is not loopback, no
/// <see cref="SecurityOptions.ApiKey"/> is set and <see cref="SecurityOptions.AllowInsecure"/> is false,
/// start-up fails with a message naming those settings. Checked twice: on each Kestrel endpoint as it is
/// configured, before it binds (code-based Listen, Kestrel:Endpoints, --urls, ASPNETCORE_URLS,
/// ASPNETCORE_HTTP_PORTS), and on the addresses actually bound once the server has started.
/// </summary>
internal sealed class ListenAddressGuard(IOptions<SecurityOptions> options, IServiceProvider services) : IHostedLifecycleService
{
    /// <summary>Whether the options leave non-loopback addresses open to unauthenticated calls.</summary>
    public static bool Refuses(SecurityOptions options) => !options.AllowInsecure && string.IsNullOrEmpty(options.ResolveApiKey());

    /// <summary>The start-up error for <paramref name="address"/>.</summary>
    public static InvalidOperationException Refusal(string address) => new(
        $"refusing to listen on {address}, which is not a loopback address, without an API key: set {SecurityOptions.Section}:ApiKey " +
        $"(or {SecurityOptions.Section}:ApiKeyFile; environment Security__ApiKey) so every call must carry it as '{ApiKeyMetadata.Name}', " +
        $"or set {SecurityOptions.Section}:AllowInsecure=true to accept unauthenticated calls from the network");

    /// <summary>Kestrel's per-endpoint hook: throws for a non-loopback IP endpoint when <see cref="Refuses"/>.</summary>
    public static void CheckEndpoint(ListenOptions listen, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (listen.IPEndPoint is { } ip && !ListenAddresses.IsLoopback(ip) && Refuses(options))
            throw Refusal($"http://{ip}");
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!Refuses(options.Value)) return Task.CompletedTask;
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var open = addresses.FirstOrDefault(a => !ListenAddresses.IsLoopback(a));
        if (open is not null) throw Refusal(open);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
