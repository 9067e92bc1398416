using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Infra.Client.Sharding;
using Infra.Contracts.Scoring.V1;
using Infra.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Infra.Aggregation.Clients;

/// <summary>
/// The ScoringService client of a sharded store: one channel per shard (the forwarded API key on each, score dumps up to
/// 16 MB a message as from a single store), fanned out and merged by <see cref="ShardedScoringInvoker"/>, with the
/// serving request's deadline and cancellation on every shard's call. Disposed with the host.
/// </summary>
internal sealed class ScoringShardChannels : IDisposable
{
    private readonly ConcurrentDictionary<Uri, GrpcChannel> _channels = new();
    private readonly IOptions<SecurityOptions> _security;

    public ScoringShardChannels(IOptions<AggregationServiceOptions> options, IOptions<SecurityOptions> security, IHttpContextAccessor accessor)
    {
        _security = security;
        var set = new ScoringShardSet(ScoringAddresses.Parse(options.Value.ScoringAddress!), Invoker);
        Client = new ScoringService.ScoringServiceClient(new ShardedScoringInvoker(set).Intercept(new CallContextPropagation(accessor)));
    }

    /// <summary>The client every ScoringService call of the AggregationService goes through.</summary>
    public ScoringService.ScoringServiceClient Client { get; }

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        _channels.Clear();
    }

    private CallInvoker Invoker(Uri address) => _channels.GetOrAdd(address, uri => GrpcChannel.ForAddress(uri, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = 16 * 1024 * 1024,
        HttpHandler = new ForwardApiKeyHandler(_security) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
        DisposeHttpClient = true,
    })).CreateCallInvoker();
}
