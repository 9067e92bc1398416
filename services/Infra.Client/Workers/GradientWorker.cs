using Grpc.Core;
using Grpc.Health.V1;
using Infra.Contracts.Gradients.V1;

namespace Infra.Client.Workers;

/// <summary>GradientService worker <see cref="Index"/> of <see cref="Count"/>: its address and the call invoker of its channel.</summary>
public sealed record GradientWorker(int Index, int Count, Uri Address, CallInvoker Invoker)
{
    /// <summary>Its GradientService client.</summary>
    public GradientService.GradientServiceClient Client => new(Invoker);

    /// <summary>"GradientService worker 1 of 3 at http://...": how reports and errors name it.</summary>
    public string Name => $"GradientService worker {Index} of {Count} at {Address}";

    /// <summary>
    /// Whether it answers a grpc.health.v1 Check ("" service) with SERVING within <paramref name="timeout"/>: after a
    /// failed call, this tells the worker's own failure (down, not serving) from the failure of what it called (a shard).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="token"/> was cancelled.</exception>
    public async Task<bool> IsServingAsync(TimeSpan timeout, CancellationToken token)
    {
        try
        {
            var reply = await new Health.HealthClient(Invoker).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: token)
                .ConfigureAwait(false);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException) when (!token.IsCancellationRequested)
        {
            return false;
        }
    }
}
