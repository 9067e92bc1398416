using Grpc.Core;
using Infra.Contracts.Aggregation.V1;

namespace Infra.Client.Pipeline;

/// <summary>The AggregationService's streaming calls, read to their result.</summary>
public static class AggregationCalls
{
    /// <summary>
    /// Runs Aggregate (the domain x difficulty roll-up of a query set); <paramref name="onProgress"/> gets each progress
    /// message. Fails with INTERNAL when the stream ends without a result.
    /// </summary>
    public static async Task<AggregateResult> AggregateAsync(AggregationService.AggregationServiceClient client, AggregateRequest request,
        Action<AggregateProgress>? onProgress, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var call = client.Aggregate(request, cancellationToken: token);
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (message.ItemCase == AggregateResponse.ItemOneofCase.Result) return message.Result;
            if (message.ItemCase == AggregateResponse.ItemOneofCase.Progress) onProgress?.Invoke(message.Progress);
        }
        throw new RpcException(new Status(StatusCode.Internal, "the AggregationService ended the Aggregate stream without a result"));
    }
}
