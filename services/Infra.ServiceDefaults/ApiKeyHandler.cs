namespace Infra.ServiceDefaults;

/// <summary>Adds the <c>x-api-key</c> header to every request of a gRPC channel (gRPC metadata are HTTP/2 headers).</summary>
public sealed class ApiKeyHandler : DelegatingHandler
{
    private readonly string _apiKey;

    /// <summary>A handler sending <paramref name="apiKey"/>; set <see cref="DelegatingHandler.InnerHandler"/> before use.</summary>
    public ApiKeyHandler(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        _apiKey = apiKey;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(ApiKeyMetadata.Name);
        request.Headers.TryAddWithoutValidation(ApiKeyMetadata.Name, _apiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
