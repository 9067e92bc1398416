using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Infra.Cli.Configuration;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Client.Pipeline;
using Infra.Client.Sharding;
using Infra.Client.Workers;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Cli.Connections;

/// <summary>
/// One gRPC channel per service, created on first use, each call carrying the x-api-key header when an API key is set.
/// <see cref="CallAsync{T}"/> turns a failed call into a <see cref="CliException"/> that names the service and its address.
/// A Scoring:Address that names several shards gets a <see cref="ShardedScoringInvoker"/> (one channel per shard): the
/// commands' ScoringService client fans every call out over the shards and merges the answers. A Gradients:Address that
/// names several workers gets a <see cref="GradientWorkerSet"/> (one channel per worker): indexing and stage 2 are spread
/// over them, a worker found down is retired for the run and reported on <paramref name="warnings"/> (stderr).
/// </summary>
internal sealed class ServiceConnections(CliSettings settings, TextWriter? warnings = null) : IServiceCalls, IDisposable
{
    /// <summary>The header the services read the API key from.</summary>
    public const string ApiKeyHeader = "x-api-key";

    private const int MaxMessageBytes = 64 * 1024 * 1024;
    private readonly Dictionary<ServiceKind, (GrpcChannel? Channel, CallInvoker Invoker)> _channels = [];
    private readonly Dictionary<Uri, (GrpcChannel Channel, CallInvoker Invoker)> _instanceChannels = [];
    private readonly Lock _warningGate = new();
    private GradientWorkerSet? _workers;

    /// <summary>The GradientService's client (of several workers: the first, which computes query gradients; a fit goes to the first that serves).</summary>
    public GradientService.GradientServiceClient Gradients => new(Invoker(ServiceKind.Gradients));

    /// <summary>The GradientService workers of Gradients:Address (one for a single address); retirements and workers a fit passes over go to stderr.</summary>
    public GradientWorkerSet Workers => _workers ??= new GradientWorkerSet(settings.GradientsAddress, InstanceInvoker, retired => Warn(retired.ToString()))
    {
        WorkerSkipped = skipped => Warn(skipped.ToString()),
    };

    /// <summary>The ScoringService's client.</summary>
    public ScoringService.ScoringServiceClient Scoring => new(Invoker(ServiceKind.Scoring));

    /// <summary>The AggregationService's client.</summary>
    public AggregationService.AggregationServiceClient Aggregation => new(Invoker(ServiceKind.Aggregation));

    /// <summary>
    /// The pipeline over the GradientService and ScoringService, its failures reported by <see cref="CallAsync{T}"/>
    /// (exit codes naming the service and its address).
    /// </summary>
    public InfluencePipeline Pipeline => new(Gradients, settings.GradientsAddress.First, Scoring, settings.ScoringAddress.Single, this, Workers);

    /// <summary>The call invoker of <paramref name="kind"/> (for a sharded store, the fan-out over its shards).</summary>
    public CallInvoker Invoker(ServiceKind kind)
    {
        if (!_channels.TryGetValue(kind, out var entry))
        {
            if (kind == ServiceKind.Scoring && settings.ScoringAddress.Single is null)
                entry = (null, new ShardedScoringInvoker(new ScoringShardSet(settings.ScoringAddress, InstanceInvoker)));
            else
            {
                var channel = Channel(kind == ServiceKind.Gradients ? settings.GradientsAddress.First : Address(kind));
                entry = (channel, WithApiKey(channel));
            }
            _channels[kind] = entry;
        }
        return entry.Invoker;
    }

    /// <summary>The shards of a sharded store in shard order (one for a single store), resolved on first use.</summary>
    public Task<IReadOnlyList<ScoringShard>> ScoringShardsAsync(CancellationToken token) =>
        Invoker(ServiceKind.Scoring) is ShardedScoringInvoker sharded
            ? sharded.Set.ShardsAsync(token)
            : Task.FromResult<IReadOnlyList<ScoringShard>>([new ScoringShard(0, 1, settings.ScoringAddress.Single!, Scoring)]);

    /// <summary>
    /// Where <paramref name="kind"/> is configured to listen; a sharded store's Scoring:Address and a list of GradientService
    /// workers have no one address (usage error).
    /// </summary>
    public Uri Address(ServiceKind kind) => kind switch
    {
        ServiceKind.Gradients => settings.GradientsAddress.Single
            ?? throw new CliException(ExitCodes.Usage, $"Gradients:Address names several workers ({settings.GradientsAddress}): this needs one GradientService address"),
        ServiceKind.Scoring => settings.ScoringAddress.Single
            ?? throw new CliException(ExitCodes.Usage, $"Scoring:Address names several shards ({settings.ScoringAddress}): this needs one ScoringService address"),
        ServiceKind.Aggregation => settings.AggregationAddress,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The configured address of <paramref name="kind"/> as text (a sharded store's list as given).</summary>
    public string Configured(ServiceKind kind) => kind switch
    {
        ServiceKind.Scoring when settings.ScoringAddress.Single is null => settings.ScoringAddress.Text,
        ServiceKind.Gradients when settings.GradientsAddress.Single is null => settings.GradientsAddress.Text,
        _ => Address(kind).ToString(),
    };

    /// <summary>"ScoringService at http://127.0.0.1:5002".</summary>
    public string Describe(ServiceKind kind) => $"{ServiceName(kind)} at {Configured(kind)}";

    /// <summary>The service's own name: GradientService, ScoringService, AggregationService.</summary>
    public static string ServiceName(ServiceKind kind) => kind == ServiceKind.Gradients ? "GradientService" : $"{kind}Service";

    /// <summary>
    /// grpc.health.v1 Check of the whole service ("" service name), within <paramref name="timeout"/>. Over a sharded
    /// store, every shard is asked: the first that is not serving is the answer, and an unreachable shard fails naming it.
    /// Over several GradientService workers, every worker is asked: serving when any is (the others are named on stderr, and
    /// a run retires them), and UNAVAILABLE naming them all when none is.
    /// </summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(ServiceKind kind, TimeSpan timeout, CancellationToken token)
    {
        if (kind == ServiceKind.Gradients && settings.GradientsAddress.Single is null) return await CheckWorkersAsync(timeout, token).ConfigureAwait(false);
        if (kind != ServiceKind.Scoring || settings.ScoringAddress.Single is not null) return await CheckAsync(Invoker(kind), timeout, token).ConfigureAwait(false);
        foreach (var shard in await ScoringShardsAsync(token).ConfigureAwait(false))
        {
            var status = await shard.CallAsync(_ => CheckAsync(InstanceInvoker(shard.Address), timeout, token)).ConfigureAwait(false);
            if (status != HealthCheckResponse.Types.ServingStatus.Serving) return status;
        }
        return HealthCheckResponse.Types.ServingStatus.Serving;
    }

    private async Task<HealthCheckResponse.Types.ServingStatus> CheckWorkersAsync(TimeSpan timeout, CancellationToken token)
    {
        var workers = await Workers.WorkersAsync(token).ConfigureAwait(false);
        var serving = await Task.WhenAll(workers.Select(w => w.IsServingAsync(timeout, token))).ConfigureAwait(false);
        var down = workers.Where((_, i) => !serving[i]).ToList();
        if (down.Count == workers.Count)
            throw new RpcException(new Status(StatusCode.Unavailable, $"no GradientService worker is serving: {string.Join("; ", down.Select(w => w.Name))}"));
        foreach (var worker in down) warnings?.WriteLine($"warning: {worker.Name} is not serving; the other {workers.Count - down.Count} carry on");
        return HealthCheckResponse.Types.ServingStatus.Serving;
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(CallInvoker invoker, TimeSpan timeout, CancellationToken token)
    {
        var client = new Health.HealthClient(invoker);
        var response = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: token).ConfigureAwait(false);
        return response.Status;
    }

    /// <summary>Fails fast with exit code 3 and the address when <paramref name="kind"/> is not reachable or not serving.</summary>
    public async Task RequireAsync(ServiceKind kind, CancellationToken token)
    {
        HealthCheckResponse.Types.ServingStatus status;
        try
        {
            status = await CheckAsync(kind, TimeSpan.FromSeconds(10), token).ConfigureAwait(false);
        }
        catch (RpcException e) when (!token.IsCancellationRequested)
        {
            throw ServiceError(kind, e);
        }
        if (status != HealthCheckResponse.Types.ServingStatus.Serving)
            throw new CliException(ExitCodes.Unavailable, $"{Describe(kind)} is not serving (health: {status})");
    }

    /// <summary>Runs calls on <paramref name="service"/>, turning a failure into a <see cref="CliException"/> naming it.</summary>
    public async Task<T> CallAsync<T>(ServiceKind service, Func<Task<T>> work, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (RpcException e) when (!(e.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested))
        {
            throw ServiceError(service, e);
        }
    }

    /// <summary>The exit code and message of a failed call: unreachable 3, rejected input 4, anything else 1.</summary>
    public CliException ServiceError(ServiceKind kind, RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = error.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unavailable,
            StatusCode.InvalidArgument => ExitCodes.BadInput,
            _ => ExitCodes.Failure,
        };
        var reason = error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded ? "is unavailable" : "failed";
        var detail = string.IsNullOrEmpty(error.Status.Detail) ? error.StatusCode.ToString() : error.Status.Detail;
        if (error.Status.DebugException is { } inner) detail += $" ({inner.Message})";
        return new CliException(code, $"{Describe(kind)} {reason}: {error.StatusCode}: {detail}", error);
    }

    public void Dispose()
    {
        foreach (var (channel, _) in _channels.Values) channel?.Dispose();
        foreach (var (channel, _) in _instanceChannels.Values) channel.Dispose();
        _channels.Clear();
        _instanceChannels.Clear();
    }

    private void Warn(string message)
    {
        lock (_warningGate) warnings?.WriteLine($"warning: {message}");
    }

    // One channel per scoring shard or GradientService worker address.
    private CallInvoker InstanceInvoker(Uri address)
    {
        lock (_instanceChannels)
        {
            if (!_instanceChannels.TryGetValue(address, out var entry))
            {
                var channel = Channel(address);
                entry = (channel, WithApiKey(channel));
                _instanceChannels[address] = entry;
            }
            return entry.Invoker;
        }
    }

    private static GrpcChannel Channel(Uri address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = MaxMessageBytes, MaxSendMessageSize = MaxMessageBytes });

    private CallInvoker WithApiKey(GrpcChannel channel) => settings.ApiKey is { } key
        ? channel.Intercept(metadata =>
        {
            metadata.Add(ApiKeyHeader, key);
            return metadata;
        })
        : channel.CreateCallInvoker();
}
