using Grpc.Core;
using Infra.Client.Calls;
using Infra.Client.Pipeline;
using Infra.Client.Rerank;
using Infra.Contracts.Gradients.V1;
using Microsoft.Extensions.Options;
using Infra.Core.Errors;

namespace Infra.Aggregation.Clients;

/// <summary>
/// The GradientService as Influence calls it (model info, greedy answers, query gradients), through a
/// Grpc.Net.ClientFactory client with call-context propagation (deadline and cancellation flow on).
/// </summary>
public sealed class GradientCaller(IServiceProvider services, IOptions<AggregationServiceOptions> options)
{
    private const string Name = "GradientService";
    private readonly Uri? _address = options.Value.GradientAddress;

    // Resolved per use: without a configured address no client is registered, and only prompts need one.
    private GradientService.GradientServiceClient Client => _address is null
        ? throw DomainException.FailedPrecondition("no GradientService is configured (Aggregation:GradientAddress): Influence accepts query-set ids only")
        : services.GetRequiredService<GradientService.GradientServiceClient>();

    /// <summary>Stage 2 (exact recomputation) on this GradientService; null when none is configured.</summary>
    internal ExactRescorer? Rescorer => _address is null ? null : new ExactRescorer(Client, _address);

    /// <summary>The pipeline's steps (query registration) on this GradientService and <paramref name="scoring"/>; needs a configured address.</summary>
    internal InfluencePipeline Pipeline(ScoringPuller scoring) => new(Client, _address!, scoring.Client, scoring.Address);

    public Task<GetModelInfoResponse> ModelInfoAsync(CancellationToken token) =>
        Downstream.CallAsync(Name, _address, () => Client.GetModelInfoAsync(new GetModelInfoRequest(), cancellationToken: token).ResponseAsync);

    public Task<GenerateResponse> GenerateAsync(GenerateRequest request, CancellationToken token) =>
        Downstream.CallAsync(Name, _address, () => Client.GenerateAsync(request, cancellationToken: token).ResponseAsync);
}
