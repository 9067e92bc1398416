using Grpc.Core;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Cli.Pipeline;

/// <summary>
/// Preconditioner fits: the GradientService's full-space EK-FAC (the paper's method; two passes over a fitting corpus,
/// covariance then eigenvalue correction) and the ScoringService's projected fits over the store.
/// </summary>
internal static class FactorFitter
{
    /// <summary>One pass of the full-space fit; returns the service's summary.</summary>
    public static async Task<FactorsSummary> FitPhaseAsync(ServiceConnections services, string name, FitPhase phase, IReadOnlyList<Example> corpus, int batchSize,
        bool overwrite, IProgressSink progress, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(progress);
        progress.SetTotal(corpus.Count);
        var client = services.Gradients;
        return await services.CallAsync(ServiceKind.Gradients, async () =>
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
            using var call = client.FitFactors(cancellationToken: cancel.Token);
            var sending = Task.Run(async () =>
            {
                await call.RequestStream.WriteAsync(new FitFactorsRequest
                {
                    Options = new FitFactorsOptions { Name = name, Phase = phase, BatchSize = (uint)batchSize, Overwrite = overwrite },
                }, cancel.Token).ConfigureAwait(false);
                foreach (var e in corpus)
                    await call.RequestStream.WriteAsync(new FitFactorsRequest { Example = e }, cancel.Token).ConfigureAwait(false);
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            }, cancel.Token);
            FactorsSummary? summary = null;
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync(cancel.Token).ConfigureAwait(false))
                {
                    if (message.ItemCase == FitFactorsResponse.ItemOneofCase.Summary) summary = message.Summary;
                    else if (message.ItemCase == FitFactorsResponse.ItemOneofCase.Progress)
                        progress.Report((long)message.Progress.ExamplesDone, (long)message.Progress.TokensDone);
                }
            }
            finally
            {
                await cancel.CancelAsync().ConfigureAwait(false);
                try
                {
                    await sending.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
                {
                    // The response stream's outcome is the one that matters.
                }
            }
            return summary ?? throw new RpcException(new Status(StatusCode.Internal, $"FitFactors {phase} ended without a summary"));
        }, token).ConfigureAwait(false);
    }

    /// <summary>A projected preconditioner over the store; <paramref name="onProgress"/> gets the service's progress messages as they arrive.</summary>
    public static async Task<PreconditionerInfo> FitProjectedAsync(ServiceConnections services, FitRequest request, Action<FitProgress> onProgress, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(onProgress);
        var client = services.Scoring;
        return await services.CallAsync(ServiceKind.Scoring, async () =>
        {
            using var call = client.Fit(request, cancellationToken: token);
            PreconditionerInfo? summary = null;
            await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (message.ItemCase == FitResponse.ItemOneofCase.Summary) summary = message.Summary;
                else if (message.ItemCase == FitResponse.ItemOneofCase.Progress) onProgress(message.Progress);
            }
            return summary ?? throw new RpcException(new Status(StatusCode.Internal, "Fit ended without a summary"));
        }, token).ConfigureAwait(false);
    }
}
