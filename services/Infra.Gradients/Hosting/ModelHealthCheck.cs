using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infra.Gradients.Hosting;

/// <summary>Healthy once the model is loaded (it is loaded at start-up).</summary>
internal sealed class ModelHealthCheck(ModelSession session) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"{session.Model.Config.ModelType}, {session.Layers.Count} tracked layers"));
}
