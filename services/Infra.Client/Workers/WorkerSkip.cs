namespace Infra.Client.Workers;

/// <summary>
/// A worker passed over by a call that goes to one worker (an EK-FAC fit pass): it did not answer its health check with
/// SERVING, so the call went to <paramref name="Chosen"/>, the next one in list order that did.
/// </summary>
/// <param name="Worker">The worker passed over.</param>
/// <param name="Work">What the call was, as the report names it ("EK-FAC fit 'ekfac', covariance pass").</param>
/// <param name="Chosen">The worker the call went to instead.</param>
public sealed record WorkerSkip(GradientWorker Worker, string Work, GradientWorker Chosen)
{
    /// <summary>"GradientService worker 0 of 2 at http://... is not serving: EK-FAC fit 'ekfac', covariance pass goes to GradientService worker 1 of 2 at http://... instead".</summary>
    public override string ToString() => $"{Worker.Name} is not serving: {Work} goes to {Chosen.Name} instead";
}
