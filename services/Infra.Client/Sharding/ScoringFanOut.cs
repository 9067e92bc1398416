using System.Runtime.CompilerServices;
using Grpc.Core;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Sharding;

/// <summary>
/// Each ScoringService call over a set of shards, answered as one store holding all their examples would answer it:
/// calls about examples go to the shards that hold them, the rest to every shard, and the answers are merged exactly
/// (<see cref="TopKMerge"/>, <see cref="StoreInfoMerge"/>). Every shard must answer: a shard that fails fails the call
/// with its status, naming the shard (UNAVAILABLE with its address when it is down), never a partial answer.
/// </summary>
internal sealed class ScoringFanOut(IReadOnlyList<ScoringShard> shards, CallOptions options)
{
    /// <summary>StoreInfo of every shard, merged.</summary>
    public async Task<StoreInfoResponse> StoreInfoAsync() =>
        Consistent(StoreInfoMerge.Merge, await AllAsync(s => s.Client.StoreInfoAsync(new StoreInfoRequest(), options).ResponseAsync).ConfigureAwait(false));

    /// <summary>Each id asked of the shard that would hold it; the missing ones in request order.</summary>
    public async Task<MissingExamplesResponse> MissingExamplesAsync(MissingExamplesRequest request)
    {
        var groups = ScoringShardSet.Route(request.Ids, shards.Count);
        var answers = await AllAsync(s =>
        {
            if (groups[s.Index].Count == 0) return Task.FromResult(new MissingExamplesResponse());
            var ask = new MissingExamplesRequest { Ids = { groups[s.Index] } };
            return s.Client.MissingExamplesAsync(ask, options).ResponseAsync;
        }).ConfigureAwait(false);
        var missing = answers.SelectMany(a => a.Ids).ToHashSet(StringComparer.Ordinal);
        return new MissingExamplesResponse { Ids = { request.Ids.Where(missing.Contains) } };
    }

    /// <summary>The set as every shard registered it; shards that disagree are FAILED_PRECONDITION.</summary>
    public async Task<GetQuerySetResponse> GetQuerySetAsync(GetQuerySetRequest request) =>
        Consistent(Same, await AllAsync(s => s.Client.GetQuerySetAsync(request, options).ResponseAsync).ConfigureAwait(false));

    /// <summary>The sets registered on every shard (a set missing on one cannot be scored over the set).</summary>
    public async Task<ListQuerySetsResponse> ListQuerySetsAsync(ListQuerySetsRequest request)
    {
        var answers = await AllAsync(s => s.Client.ListQuerySetsAsync(request, options).ResponseAsync).ConfigureAwait(false);
        var response = new ListQuerySetsResponse();
        response.QuerySets.AddRange(answers[0].QuerySets.Where(set => answers.All(a => a.QuerySets.Contains(set))));
        return response;
    }

    /// <summary>Deleted on every shard that has it; NOT_FOUND only when no shard has it.</summary>
    public async Task<DeleteQuerySetResponse> DeleteQuerySetAsync(DeleteQuerySetRequest request)
    {
        var answers = await AllAsync(async s =>
        {
            try
            {
                return await s.Client.DeleteQuerySetAsync(request, options).ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }).ConfigureAwait(false);
        return answers.FirstOrDefault(a => a is not null)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"query set '{request.Name}' is on none of the ScoringService shards at {Describe()}"));
    }

    /// <summary>The same query set (header and gradient chunks) registered on every shard.</summary>
    public async Task<RegisterQueriesResponse> RegisterQueriesAsync(IReadOnlyList<RegisterQueriesRequest> messages) =>
        Consistent(Same, await AllAsync(async s =>
        {
            using var call = s.Client.RegisterQueries(options);
            foreach (var message in messages) await call.RequestStream.WriteAsync(message).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseAsync.ConfigureAwait(false);
        }).ConfigureAwait(false));

    /// <summary>
    /// Every shard fits the preconditioner on its own examples (see README "Sharded scoring"); progress is each shard's
    /// in turn, its message prefixed with the shard; the summary counts every shard's examples (damping: the first shard's).
    /// </summary>
    public async IAsyncEnumerable<FitResponse> FitAsync(FitRequest request, [EnumeratorCancellation] CancellationToken token = default)
    {
        var calls = await OpenAsync(s => s.Client.Fit(request, options)).ConfigureAwait(false);
        var summaries = new List<PreconditionerInfo>();
        foreach (var (shard, call) in calls)
        {
            await foreach (var message in Read(shard, call.ResponseStream, token).ConfigureAwait(false))
            {
                if (message.ItemCase == FitResponse.ItemOneofCase.Summary) summaries.Add(message.Summary);
                else if (message.ItemCase == FitResponse.ItemOneofCase.Progress)
                {
                    var progress = message.Progress.Clone();
                    progress.Message = $"shard {shard.Index} of {shard.Count}: {progress.Message}";
                    yield return new FitResponse { Progress = progress };
                }
            }
        }
        if (summaries.Count != shards.Count) throw new RpcException(new Status(StatusCode.Internal, $"{shards.Count - summaries.Count} ScoringService shard(s) ended Fit without a summary"));
        var summary = summaries[0].Clone();
        summary.Examples = (ulong)summaries.Sum(s => (decimal)s.Examples);
        yield return new FitResponse { Summary = summary };
    }

    /// <summary>Every shard's score chunks, shard after shard (a dump concatenated), then the per-query results merged exactly.</summary>
    public async IAsyncEnumerable<ScoreResponse> ScoreAsync(ScoreRequest request, [EnumeratorCancellation] CancellationToken token = default)
    {
        var calls = await OpenAsync(s => s.Client.Score(request, options)).ConfigureAwait(false);
        var results = new List<IReadOnlyList<QueryResult>>();
        foreach (var (shard, call) in calls)
        {
            var own = new List<QueryResult>();
            await foreach (var message in Read(shard, call.ResponseStream, token).ConfigureAwait(false))
            {
                if (message.ItemCase == ScoreResponse.ItemOneofCase.Result) own.Add(message.Result);
                else yield return message;
            }
            results.Add(own);
        }
        var k = request.TopK == 0 ? 10 : (int)Math.Min(request.TopK, int.MaxValue);
        foreach (var result in Consistent(r => TopKMerge.Merge(r, k, request.RankByNormalized), results))
            yield return new ScoreResponse { Result = result };
    }

    /// <summary>
    /// Token scores: of the named examples, each from its shard, in request order; of every stored example (no ids),
    /// shard after shard.
    /// </summary>
    public IAsyncEnumerable<ScoreTokensResponse> ScoreTokensAsync(ScoreTokensRequest request, CancellationToken token = default) =>
        request.ExampleIds.Count == 0
            ? ConcatenateAsync(s => s.Client.ScoreTokens(request, options), token)
            : RoutedAsync(request.ExampleIds, ids =>
            {
                var own = request.Clone();
                own.ExampleIds.Clear();
                own.ExampleIds.AddRange(ids);
                return own;
            }, (client, own) => client.ScoreTokens(own, options), r => r.ExampleId, token);

    /// <summary>The named examples, each from its shard, in request order (an id on no shard: that shard's NOT_FOUND).</summary>
    public IAsyncEnumerable<GetExamplesResponse> GetExamplesAsync(GetExamplesRequest request, CancellationToken token = default) =>
        request.Ids.Count == 0
            ? ConcatenateAsync(s => s.Client.GetExamples(request, options), token)
            : RoutedAsync(request.Ids, ids => new GetExamplesRequest { Ids = { ids } }, (client, own) => client.GetExamples(own, options), r => r.Id, token);

    private async IAsyncEnumerable<T> ConcatenateAsync<T>(Func<ScoringShard, AsyncServerStreamingCall<T>> open, [EnumeratorCancellation] CancellationToken token = default)
    {
        var calls = await OpenAsync(open).ConfigureAwait(false);
        foreach (var (shard, call) in calls)
            await foreach (var message in Read(shard, call.ResponseStream, token).ConfigureAwait(false))
                yield return message;
    }

    // Each shard asked for its own ids; the answers (bounded by the request's id limit) are put back in request order.
    private async IAsyncEnumerable<T> RoutedAsync<TRequest, T>(IEnumerable<string> ids, Func<List<string>, TRequest> request,
        Func<ScoringService.ScoringServiceClient, TRequest, AsyncServerStreamingCall<T>> open, Func<T, string> idOf, [EnumeratorCancellation] CancellationToken token = default)
    {
        var order = ids.ToList();
        var groups = ScoringShardSet.Route(order, shards.Count);
        var answers = await AllAsync(async s =>
        {
            if (groups[s.Index].Count == 0) return [];
            using var call = open(s.Client, request(groups[s.Index]));
            return await call.ResponseStream.ReadAllAsync(token).ToListAsync(token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var byId = answers.SelectMany(a => a).GroupBy(idOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var id in order)
            if (byId.TryGetValue(id, out var answer)) yield return answer;
    }

    // Opens the call on every shard at once and waits for each to answer (its response headers), so a shard that is
    // down fails the call before anything of the other shards has been passed on.
    private async Task<List<(ScoringShard Shard, AsyncServerStreamingCall<T> Call)>> OpenAsync<T>(Func<ScoringShard, AsyncServerStreamingCall<T>> open)
    {
        var calls = shards.Select(s => (Shard: s, Call: open(s))).ToList();
        try
        {
            await AllAsync(s => calls[s.Index].Call.ResponseHeadersAsync).ConfigureAwait(false);
        }
        catch
        {
            foreach (var (_, call) in calls) call.Dispose();
            throw;
        }
        return calls;
    }

    private static async IAsyncEnumerable<T> Read<T>(ScoringShard shard, IAsyncStreamReader<T> stream, [EnumeratorCancellation] CancellationToken token = default)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await stream.MoveNext(token).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw shard.Rename(e);
            }
            if (!more) yield break;
            yield return stream.Current;
        }
    }

    // Every shard's answer in shard order; the first failure (in shard order) is the call's, naming its shard.
    private async Task<T[]> AllAsync<T>(Func<ScoringShard, Task<T>> call)
    {
        var tasks = shards.Select(s => s.CallAsync(_ => call(s))).ToList();
        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            // WhenAll rethrows whichever failure it saw first; the lowest failed shard's is the one reported.
            foreach (var task in tasks) await task.ConfigureAwait(false);
            throw;
        }
    }

    private T Consistent<TIn, T>(Func<TIn, T> merge, TIn answers)
    {
        try
        {
            return merge(answers);
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the ScoringService shards at {Describe()} disagree: {e.Message}"));
        }
    }

    private static T Same<T>(T[] answers) where T : class
    {
        for (var s = 1; s < answers.Length; s++)
            if (!Equals(answers[s], answers[0])) throw new InvalidOperationException($"shard {s} answered {answers[s]}, shard 0 {answers[0]}");
        return answers[0];
    }

    private string Describe() => string.Join(",", shards.Select(s => s.Address));
}
