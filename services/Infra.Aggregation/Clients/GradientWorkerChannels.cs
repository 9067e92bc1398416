using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Infra.Client.Sharding;
using Infra.Client.Workers;
using Infra.Contracts.Gradients.V1;
using Infra.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Infra.Aggregation.Clients;

/// <summary>
/// The GradientService workers of an Aggregation:GradientAddress that names several: one channel per worker (the
/// forwarded API key on each), with the serving request's deadline and cancellation on every call; a worker retired
/// during a call is logged. Disposed with the host.
/// </summary>
internal sealed partial class GradientWorkerChannels : IDisposable
{
    private readonly ConcurrentDictionary<Uri, GrpcChannel> _channels = new();
    private readonly IOptions<SecurityOptions> _security;
    private readonly IHttpContextAccessor _accessor;

    public GradientWorkerChannels(IOptions<AggregationServiceOptions> options, IOptions<SecurityOptions> security, IHttpContextAccessor accessor,
        ILogger<GradientWorkerChannels> logger)
    {
        (_security, _accessor) = (security, accessor);
        var addresses = GradientAddresses.Parse(options.Value.GradientAddress!);
        Set = new GradientWorkerSet(addresses, Invoker, retired => WorkerRetired(logger, retired.ToString()));
        First = new GradientService.GradientServiceClient(Invoker(addresses.First));
    }

    /// <summary>The workers, spread over by stage 2.</summary>
    public GradientWorkerSet Set { get; }

    /// <summary>The client of the first entry: query gradients, answers, model info.</summary>
    public GradientService.GradientServiceClient First { get; }

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        _channels.Clear();
    }

    private CallInvoker Invoker(Uri address) => _channels.GetOrAdd(address, uri => GrpcChannel.ForAddress(uri, new GrpcChannelOptions
    {
        HttpHandler = new ForwardApiKeyHandler(_security) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
        DisposeHttpClient = true,
    })).CreateCallInvoker().Intercept(new CallContextPropagation(_accessor));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Retirement}")]
    private static partial void WorkerRetired(ILogger logger, string retirement);
}
