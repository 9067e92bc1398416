using Infra.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Infra.Aggregation.Clients;

/// <summary>
/// Sends <c>Security:ForwardApiKey</c> (defaulting to the service's own <c>Security:ApiKey</c>) as <c>x-api-key</c> on
/// every downstream call, so an AggregationService can talk to keyed Scoring and Gradient services. Sends nothing when
/// no key is configured.
/// </summary>
internal sealed class ForwardApiKeyHandler(IOptions<SecurityOptions> security) : DelegatingHandler
{
    private readonly string? _apiKey = security.Value.ResolveForwardApiKey();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_apiKey is { Length: > 0 })
        {
            request.Headers.Remove(ApiKeyMetadata.Name);
            request.Headers.TryAddWithoutValidation(ApiKeyMetadata.Name, _apiKey);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
