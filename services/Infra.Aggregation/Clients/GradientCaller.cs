using Infra.Client.Calls;
using Infra.Client.Pipeline;
using Infra.Client.Rerank;
using Infra.Client.Sharding;
using Infra.Client.Workers;
using Infra.Contracts.Gradients.V1;
using Microsoft.Extensions.Options;
using Infra.Core.Errors;

namespace Infra.Aggregation.Clients;

/// <summary>
/// The GradientService as Influence calls it (model info, greedy answers, query gradients, stage 2), through a
/// Grpc.Net.ClientFactory client with call-context propagation (deadline and cancellation flow on); over several
/// workers (<see cref="GradientWorkerChannels"/>), stage 2 is spread over them and the rest goes to the first.
/// </summary>
public sealed class GradientCaller(IServiceProvider services, IOptions<AggregationServiceOptions> options)
{
    private const string Name = "GradientService";
    private readonly ServiceAddresses? _addresses = options.Value.GradientAddress is { Length: > 0 } text ? GradientAddresses.Parse(text) : null;

    // Named in errors: the one GradientService, or the first worker (the one the single calls go to).
    private Uri? Address => _addresses?.First;

    // Resolved per use: without a configured address no client is registered, and only prompts need one.
    private GradientService.GradientServiceClient Client => _addresses switch
    {
        null => throw DomainException.FailedPrecondition("no GradientService is configured (Aggregation:GradientAddress): Influence accepts query-set ids only"),
        { Single: not null } => services.GetRequiredService<GradientService.GradientServiceClient>(),
        _ => services.GetRequiredService<GradientWorkerChannels>().First,
    };

    // Several workers: the set stage 2 spreads over; one GradientService: none (today's single calls).
    private GradientWorkerSet? Workers => _addresses is { Single: null } ? services.GetRequiredService<GradientWorkerChannels>().Set : null;

    /// <summary>Stage 2 (exact recomputation) on this GradientService or its workers; null when none is configured.</summary>
    internal ExactRescorer? Rescorer => _addresses is null ? null : new ExactRescorer(Client, Address, Workers);

    /// <summary>The pipeline's steps (query registration) on this GradientService and <paramref name="scoring"/>; needs a configured address.</summary>
    internal InfluencePipeline Pipeline(ScoringPuller scoring) => new(Client, Address!, scoring.Client, scoring.Address, workers: Workers);

    public Task<GetModelInfoResponse> ModelInfoAsync(CancellationToken token) =>
        Downstream.CallAsync(Name, Address, () => Client.GetModelInfoAsync(new GetModelInfoRequest(), cancellationToken: token).ResponseAsync);

    public Task<GenerateResponse> GenerateAsync(GenerateRequest request, CancellationToken token) =>
        Downstream.CallAsync(Name, Address, () => Client.GenerateAsync(request, cancellationToken: token).ResponseAsync);
}
