using Grpc.Core;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Sharding;

/// <summary>
/// A <see cref="CallInvoker"/> that makes a set of ScoringService shards look like one ScoringService: a
/// <c>ScoringServiceClient</c> over it is what every caller already uses, and each call is fanned out and merged by
/// <see cref="ScoringFanOut"/>. Ingest and ScoreStream are not fanned out (UNIMPLEMENTED): indexing routes each example
/// to its shard through the GradientService's forward_to (<c>InfluencePipeline.IndexAsync</c>), and a live stream is
/// scored by any one shard's address.
/// </summary>
public sealed class ShardedScoringInvoker(ScoringShardSet set) : CallInvoker
{
    /// <summary>The shards behind it.</summary>
    public ScoringShardSet Set => set;

    /// <inheritdoc/>
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(method);
        var response = Unary(method.Name, options, request!);
        return new AsyncUnaryCall<TResponse>(Cast<TResponse>(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    /// <inheritdoc/>
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options,
        TRequest request)
    {
        ArgumentNullException.ThrowIfNull(method);
        // Disposing the call cancels every shard's call under it.
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var linked = options.WithCancellationToken(cancel.Token);
        object stream = (method.Name, request) switch
        {
            ("Score", ScoreRequest score) => Open(linked, fan => fan.ScoreAsync(score, cancel.Token)),
            ("ScoreTokens", ScoreTokensRequest tokens) => Open(linked, fan => fan.ScoreTokensAsync(tokens, cancel.Token)),
            ("GetExamples", GetExamplesRequest examples) => Open(linked, fan => fan.GetExamplesAsync(examples, cancel.Token)),
            ("Fit", FitRequest fit) => Open(linked, fan => fan.FitAsync(fit, cancel.Token)),
            _ => throw Unimplemented(method.Name),
        };
        var reader = new AsyncEnumerableReader<TResponse>((IAsyncEnumerable<TResponse>)stream);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () =>
        {
            cancel.Cancel();
            cancel.Dispose();
        });
    }

    /// <inheritdoc/>
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Name != "RegisterQueries") throw Unimplemented(method.Name);
        // A query set is small (queries x layers x k_out x k_in): kept until complete, then sent whole to every shard.
        var writer = new CollectingWriter<TRequest>();
        var response = writer.Completed.ContinueWith(async _ =>
        {
            var shards = await set.ShardsAsync(options.CancellationToken).ConfigureAwait(false);
            var messages = writer.Messages.Cast<RegisterQueriesRequest>().ToList();
            return (object)await new ScoringFanOut(shards, options).RegisterQueriesAsync(messages).ConfigureAwait(false);
        }, options.CancellationToken, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        return new AsyncClientStreamingCall<TRequest, TResponse>(writer, Cast<TResponse>(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    /// <inheritdoc/>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        throw Unimplemented(method.Name);
    }

    private async Task<object> Unary(string method, CallOptions options, object request)
    {
        var fan = new ScoringFanOut(await set.ShardsAsync(options.CancellationToken).ConfigureAwait(false), options);
        return (method, request) switch
        {
            ("StoreInfo", StoreInfoRequest) => await fan.StoreInfoAsync().ConfigureAwait(false),
            ("MissingExamples", MissingExamplesRequest missing) => await fan.MissingExamplesAsync(missing).ConfigureAwait(false),
            ("GetQuerySet", GetQuerySetRequest get) => await fan.GetQuerySetAsync(get).ConfigureAwait(false),
            ("ListQuerySets", ListQuerySetsRequest list) => await fan.ListQuerySetsAsync(list).ConfigureAwait(false),
            ("DeleteQuerySet", DeleteQuerySetRequest delete) => await fan.DeleteQuerySetAsync(delete).ConfigureAwait(false),
            _ => throw Unimplemented(method),
        };
    }

    private IAsyncEnumerable<T> Open<T>(CallOptions options, Func<ScoringFanOut, IAsyncEnumerable<T>> stream) => Lazy(options, stream);

    // The shards are resolved when the stream is first read, so opening a call never blocks.
    private async IAsyncEnumerable<T> Lazy<T>(CallOptions options, Func<ScoringFanOut, IAsyncEnumerable<T>> stream)
    {
        var fan = new ScoringFanOut(await set.ShardsAsync(options.CancellationToken).ConfigureAwait(false), options);
        await foreach (var item in stream(fan).ConfigureAwait(false)) yield return item;
    }

    private static async Task<T> Cast<T>(Task<object> response) => (T)await response.ConfigureAwait(false);

    private RpcException Unimplemented(string method) => new(new Status(StatusCode.Unimplemented,
        method switch
        {
            "Ingest" => $"Ingest is not fanned out over the ScoringService shards at {set.Addresses}: index through the GradientService (forward_to each example's shard) or ingest into one shard's address",
            "ScoreStream" => $"ScoreStream is not fanned out over the ScoringService shards at {set.Addresses}: a live stream is not stored, so send it to any one shard's address",
            _ => $"{method} is not supported over the ScoringService shards at {set.Addresses}",
        }));
}
