using System.Net.Sockets;
using Grpc.Core;
using Infra.Client.Pipeline;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Sharding;

/// <summary>
/// The ScoringService shards of one sharded store, resolved on first use (a dns:// name is looked up then, not when
/// the process starts, so shards that come up after it are found) and kept. Example <c>id</c> lives on shard
/// <see cref="CorpusPartition.IndexOf"/>(id, n): the same hash as <c>infra index --partition</c>, so partition i of n
/// and shard i of n hold the same examples, and a rerun lands where it did before.
/// </summary>
public sealed class ScoringShardSet
{
    private readonly ServiceAddresses _addresses;
    private readonly Func<Uri, CallInvoker> _invokerFor;
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<ScoringShard>>? _shards;

    /// <param name="addresses">Where the shards are.</param>
    /// <param name="invokerFor">The call invoker of one shard's address (its channel, API key, propagation).</param>
    public ScoringShardSet(ServiceAddresses addresses, Func<Uri, CallInvoker> invokerFor)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(invokerFor);
        (_addresses, _invokerFor) = (addresses, invokerFor);
    }

    /// <summary>The configured addresses (named in errors).</summary>
    public ServiceAddresses Addresses => _addresses;

    /// <summary>The shards in shard order; a dns:// name that does not resolve is UNAVAILABLE naming it (and is tried again next time).</summary>
    public Task<IReadOnlyList<ScoringShard>> ShardsAsync(CancellationToken token)
    {
        lock (_gate)
        {
            // One resolution shared by concurrent first calls; a failed one is not kept.
            if (_shards is null || _shards.IsFaulted || _shards.IsCanceled) _shards = ResolveAsync();
            return _shards.WaitAsync(token);
        }
    }

    private async Task<IReadOnlyList<ScoringShard>> ResolveAsync()
    {
        IReadOnlyList<Uri> uris;
        try
        {
            uris = await _addresses.ResolveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the ScoringService shards at {_addresses} cannot be resolved: {e.Message}"),
                new Metadata { { ScoringShard.ShardTrailer, _addresses.Text } });
        }
        return uris.Select((uri, i) => new ScoringShard(i, uris.Count, uri, new ScoringService.ScoringServiceClient(_invokerFor(uri)))).ToList();
    }

    /// <summary>The shard index of each of <paramref name="ids"/> among <paramref name="count"/> shards: the ids grouped by shard, in their order.</summary>
    public static IReadOnlyList<List<string>> Route(IEnumerable<string> ids, int count)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var groups = Enumerable.Range(0, count).Select(_ => new List<string>()).ToList();
        foreach (var id in ids) groups[CorpusPartition.IndexOf(id, count)].Add(id);
        return groups;
    }
}
