using Grpc.Net.Client;

namespace Infra.ServiceDefaults;

/// <summary>
/// Channels from one Infra service (or the CLI) to another: every call on them carries the API key
/// when one is given. Use it wherever a client is made, so a key set on the callee is all it takes.
/// </summary>
public static class InfraChannel
{
    /// <summary>The HTTP/2 receive window each call starts with: 4,194,304 bytes (4 MiB), four of the services' default 1 MiB chunks.</summary>
    public const int InitialStreamWindowBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A channel to <paramref name="address"/> (http:// for plain-text HTTP/2, https:// for TLS) whose calls
    /// send <paramref name="apiKey"/> as <c>x-api-key</c>; null or empty sends none.
    /// <paramref name="options"/> (message limits, …) is used as given, except its HttpHandler/HttpClient,
    /// which this replaces.
    /// </summary>
    public static GrpcChannel Create(Uri address, string? apiKey, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new GrpcChannelOptions();
        // One SocketsHttpHandler per channel, allowed to open more HTTP/2 connections when a busy one
        // reaches the server's stream limit (long gradient streams run side by side).
        // The receive window starts at 4 MiB, not HTTP/2's 64 KiB: a gradient stream's 1 MiB chunks would otherwise wait
        // for window updates until dynamic sizing has grown it, and on loopback that never catches up with the sender.
        HttpMessageHandler handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, InitialHttp2StreamWindowSize = InitialStreamWindowBytes };
        if (!string.IsNullOrEmpty(apiKey)) handler = new ApiKeyHandler(apiKey) { InnerHandler = handler };
        options.HttpClient = null;
        options.HttpHandler = handler;
        options.DisposeHttpClient = true;
        return GrpcChannel.ForAddress(address, options);
    }

    /// <inheritdoc cref="Create(Uri, string?, GrpcChannelOptions?)"/>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not an absolute http(s) URI.</exception>
    public static GrpcChannel Create(string address, string? apiKey, GrpcChannelOptions? options = null)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{address}' is not an absolute http(s) address of a gRPC service", nameof(address));
        return Create(uri, apiKey, options);
    }
}
