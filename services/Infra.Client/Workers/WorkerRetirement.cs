using Grpc.Core;

namespace Infra.Client.Workers;

/// <summary>A worker taken out of a run: its call failed and it did not answer its health check; its unit went back to the queue.</summary>
/// <param name="Worker">The retired worker.</param>
/// <param name="Error">The failure of its call.</param>
/// <param name="Remaining">How many workers are left in the run.</param>
public sealed record WorkerRetirement(GradientWorker Worker, RpcException Error, int Remaining)
{
    /// <summary>"GradientService worker 1 of 3 at http://... is down (Unavailable: ...): retired, its work requeued, 2 workers left".</summary>
    public override string ToString() =>
        $"{Worker.Name} is down ({Error.StatusCode}: {Error.Status.Detail}): retired, its work requeued, {Remaining} worker{(Remaining == 1 ? "" : "s")} left";
}
