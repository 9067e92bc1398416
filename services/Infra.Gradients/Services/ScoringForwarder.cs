using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;
using Infra.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Infra.Gradients.Services;

/// <summary>
/// The GPU -> CPU path: a ComputeGradients stream whose results go into a ScoringService's Ingest
/// instead of back to the caller. One channel per scoring address, reused across calls; each call
/// carries Security:ForwardApiKey (by default the service's own Security:ApiKey) when one is set.
/// </summary>
public sealed class ScoringForwarder(IOptions<SecurityOptions> security, IOptions<GradientServiceOptions> options) : IDisposable
{
    private readonly ForwardTargets _allowed = new(options.Value.AllowedForwardTargets, options.Value.AllowLoopbackForwardTargets);
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);
    private readonly string? _apiKey = security.Value.ResolveForwardApiKey();

    /// <summary>Opens an ingest call to <paramref name="address"/> and sends the header.</summary>
    /// <exception cref="DomainException">The address is not an absolute http(s) URI (InvalidArgument), or not an allowed target (PermissionDenied).</exception>
    /// <exception cref="RpcException">The ScoringService is unreachable or refuses the header (its status, naming it).</exception>
    public async Task<ForwardedIngest> OpenAsync(string address, IngestHeader header, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw DomainException.InvalidArgument($"forward_to '{address}' is not an http(s) address of a ScoringService", "options.forward_to");
        if (!_allowed.Allows(uri))
            throw DomainException.PermissionDenied($"forward_to '{address}' is not a ScoringService this GradientService may forward to (Gradients:AllowedForwardTargets)", "options.forward_to");
        var channel = _channels.GetOrAdd(uri.ToString(), a => InfraChannel.Create(a, _apiKey));
        var ingest = new ForwardedIngest(new ScoringService.ScoringServiceClient(channel).Ingest(cancellationToken: cancellationToken), uri.ToString());
        await ingest.WriteAsync(new IngestRequest { Header = header }, cancellationToken).ConfigureAwait(false);
        return ingest;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
    }
}
