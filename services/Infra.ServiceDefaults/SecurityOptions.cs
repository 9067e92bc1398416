namespace Infra.ServiceDefaults;

/// <summary>
/// The API-key gate of every Infra service, bound from the "Security" section
/// (<c>Security__ApiKey</c>, <c>--Security:ApiKey=…</c>); validated at start-up.
/// </summary>
/// <remarks>
/// With a key, every gRPC call must carry it as the <c>x-api-key</c> metadata (see
/// <see cref="ApiKeyMetadata"/>); the grpc.health.v1 service stays open so container health checks need
/// no secret. Without a key the service refuses to listen on any non-loopback address unless
/// <see cref="AllowInsecure"/> is set.
/// </remarks>
public sealed class SecurityOptions
{
    /// <summary>The configuration section name: "Security".</summary>
    public const string Section = "Security";

    /// <summary>The shortest key accepted, in characters: 16 (e.g. <c>openssl rand -hex 32</c> gives 64).</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>The key callers must send. Defaults to none (no check; loopback only unless <see cref="AllowInsecure"/>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>A file holding the key (e.g. a container secret, /run/secrets/…); surrounding whitespace is ignored. Defaults to none. Not together with <see cref="ApiKey"/>.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>
    /// The key this service sends to the services it calls (the GradientService's forward_to into a
    /// ScoringService, the AggregationService's calls). Defaults to none: the service's own key.
    /// </summary>
    public string? ForwardApiKey { get; set; }

    /// <summary>Accept unauthenticated calls on non-loopback addresses (a trusted network only). Defaults to false.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>The service's key: <see cref="ApiKey"/>, or the trimmed contents of <see cref="ApiKeyFile"/>; null when neither is set.</summary>
    public string? ResolveApiKey()
    {
        if (!string.IsNullOrEmpty(ApiKey)) return ApiKey;
        if (string.IsNullOrEmpty(ApiKeyFile)) return null;
        return File.ReadAllText(ApiKeyFile).Trim();
    }

    /// <summary>The key sent to other services: <see cref="ForwardApiKey"/>, else <see cref="ResolveApiKey"/>.</summary>
    public string? ResolveForwardApiKey() => string.IsNullOrEmpty(ForwardApiKey) ? ResolveApiKey() : ForwardApiKey;
}
