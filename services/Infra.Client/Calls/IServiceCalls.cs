namespace Infra.Client.Calls;

/// <summary>
/// How the pipeline runs each call on a service: the place a caller turns a failed call into its own error naming
/// the service (the CLI's exit codes, the AggregationService's renamed statuses).
/// </summary>
public interface IServiceCalls
{
    /// <summary>Runs <paramref name="work"/>, a call (or a few) on <paramref name="service"/>.</summary>
    Task<T> CallAsync<T>(ServiceKind service, Func<Task<T>> work, CancellationToken token);
}
