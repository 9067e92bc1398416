using Grpc.Core;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Sharding;

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/>: its address and its client.</summary>
public sealed record ScoringShard(int Index, int Count, Uri Address, ScoringService.ScoringServiceClient Client)
{
    /// <summary>The trailer a shard's renamed error carries (its address), so outer layers keep its message as it is.</summary>
    public const string ShardTrailer = "infra-scoring-shard";

    /// <summary>"ScoringService shard 2 of 3 at http://...": how errors name it.</summary>
    public string Name => $"ScoringService shard {Index} of {Count} at {Address}";

    /// <summary>
    /// <paramref name="error"/> of a call on this shard, its status naming the shard: UNAVAILABLE says the shard's
    /// address could not be reached; other codes keep theirs. The caller's own cancellation and deadline pass unchanged.
    /// </summary>
    public RpcException Rename(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded || error.Trailers.Get(ShardTrailer) is not null) return error;
        var detail = error.StatusCode == StatusCode.Unavailable ? $"the {Name} is unavailable: {error.Status.Detail}" : $"{Name}: {error.Status.Detail}";
        return new RpcException(new Status(error.StatusCode, detail, error.Status.DebugException), new Metadata { { ShardTrailer, Address.ToString() } });
    }

    /// <summary>Runs <paramref name="call"/> on this shard, its failure renamed by <see cref="Rename"/>.</summary>
    public async Task<T> CallAsync<T>(Func<ScoringService.ScoringServiceClient, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(Client).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Rename(e);
        }
    }
}
