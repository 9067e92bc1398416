using Grpc.Core;
using Infra.Client.Sharding;

namespace Infra.Client.Calls;

/// <summary>
/// Runs a call to the ScoringService or GradientService and names that service in its errors, so a caller of
/// the AggregationService can tell which hop failed: Unavailable says the address it could not reach; other
/// statuses keep their code with the downstream message prefixed. DeadlineExceeded and Cancelled pass unchanged
/// (they are the caller's own deadline or cancellation, propagated), and so does an error that already names a scoring
/// shard.
/// </summary>
public static class Downstream
{
    /// <summary>Runs <paramref name="call"/>; a failed call's status names <paramref name="service"/> (and its address when unreachable).</summary>
    public static async Task<T> CallAsync<T>(string service, Uri? address, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException ex) when (Rename(ex, service, address) is { } renamed)
        {
            throw renamed;
        }
    }

    /// <summary>As <see cref="CallAsync{T}"/>, for a call without a result.</summary>
    public static async Task CallAsync(string service, Uri? address, Func<Task> call) =>
        await CallAsync<bool>(service, address, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private static RpcException? Rename(RpcException ex, string service, Uri? address) => ex.StatusCode switch
    {
        StatusCode.Cancelled or StatusCode.DeadlineExceeded => null,
        // A scoring shard's error already names the shard and its address (Sharding.ScoringShard.Rename).
        _ when ex.Trailers.Get(ScoringShard.ShardTrailer) is not null => null,
        StatusCode.Unavailable => new RpcException(new Status(StatusCode.Unavailable,
            $"the {service} at {address} is unavailable: {ex.Status.Detail}")),
        _ => new RpcException(new Status(ex.StatusCode, $"{service}: {ex.Status.Detail}")),
    };
}
