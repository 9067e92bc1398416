namespace Infra.Client.Calls;

/// <summary>
/// The default <see cref="IServiceCalls"/>: <see cref="Downstream"/> names the failing service in the status (and its
/// address when unreachable), keeping the status code; the caller's own cancellation and deadline pass unchanged.
/// </summary>
public sealed class DownstreamCalls(Uri? gradientAddress, Uri? scoringAddress, Uri? aggregationAddress = null) : IServiceCalls
{
    /// <inheritdoc/>
    public Task<T> CallAsync<T>(ServiceKind service, Func<Task<T>> work, CancellationToken token) => service switch
    {
        ServiceKind.Gradients => Downstream.CallAsync("GradientService", gradientAddress, work),
        ServiceKind.Scoring => Downstream.CallAsync("ScoringService", scoringAddress, work),
        ServiceKind.Aggregation => Downstream.CallAsync("AggregationService", aggregationAddress, work),
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };
}
