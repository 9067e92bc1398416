using Grpc.Core;
using Infra.Client.Calls;
using Infra.Client.Sharding;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Microsoft.Extensions.Options;
using Infra.Core.Errors;

namespace Infra.Aggregation.Clients;

/// <summary>
/// The ScoringService as the AggregationService pulls from it. The client comes from Grpc.Net.ClientFactory with
/// call-context propagation, so every call here carries the incoming call's deadline and cancellation; over a sharded
/// store the client fans each call out over the shards and merges the answers (Infra.Client.Sharding).
/// </summary>
public sealed class ScoringPuller(ScoringService.ScoringServiceClient client, IOptions<AggregationServiceOptions> options)
{
    private const string Name = "ScoringService";
    // A sharded store has no one address: its shards' errors name the shard themselves (ScoringShard.Rename).
    private readonly Uri? _address = ScoringAddresses.TryParse(options.Value.ScoringAddress, out var addresses, out _) ? addresses!.Single : null;

    /// <summary>The client itself, for the pipeline in Infra.Client.</summary>
    internal ScoringService.ScoringServiceClient Client => client;

    /// <summary>The configured address (named in errors).</summary>
    internal Uri? Address => _address;

    /// <summary>The store's state; throws FailedPrecondition-mapped <see cref="InvalidOperationException"/> when it has no examples.</summary>
    public async Task<StoreInfoResponse> RequireStoreAsync(CancellationToken token)
    {
        var info = await Downstream.CallAsync(Name, _address, () => client.StoreInfoAsync(new StoreInfoRequest(), cancellationToken: token).ResponseAsync)
            .ConfigureAwait(false);
        if (!info.Exists || info.Examples == 0)
            throw DomainException.FailedPrecondition($"the ScoringService's store at {info.Path} is empty: index a corpus into it first");
        return info;
    }

    /// <summary>Streams a Score call: <paramref name="onChunk"/> per score chunk, and the per-query results returned.</summary>
    public Task<List<QueryResult>> ScoreAsync(ScoreRequest request, Func<ScoreChunk, Task>? onChunk, CancellationToken token) =>
        Downstream.CallAsync(Name, _address, async () =>
        {
            using var call = client.Score(request, cancellationToken: token);
            var results = new List<QueryResult>();
            await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (response.ItemCase == ScoreResponse.ItemOneofCase.Result) results.Add(response.Result);
                else if (onChunk is not null) await onChunk(response.Chunk).ConfigureAwait(false);
            }
            return results;
        });

    /// <summary>Streams a ScoreTokens call, one example at a time into <paramref name="onExample"/>.</summary>
    public Task ScoreTokensAsync(ScoreTokensRequest request, Func<ScoreTokensResponse, Task> onExample, CancellationToken token) =>
        Downstream.CallAsync(Name, _address, async () =>
        {
            using var call = client.ScoreTokens(request, cancellationToken: token);
            await foreach (var example in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
                await onExample(example).ConfigureAwait(false);
        });
}
