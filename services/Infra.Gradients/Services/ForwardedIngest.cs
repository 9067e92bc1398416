using Grpc.Core;
using Infra.Contracts.Scoring.V1;

namespace Infra.Gradients.Services;

/// <summary>
/// An open Ingest call into a ScoringService (<c>forward_to</c>). Any failure of the forward — the ScoringService
/// unreachable, killed mid-stream, or refusing the data — becomes an <see cref="RpcException"/> that names the
/// ScoringService and carries its status: the status the ingest call ended with when it has one (a refusal keeps its
/// code, INTERNAL and RESOURCE_EXHAUSTED included), otherwise <see cref="StatusCode.Unavailable"/>. Without this the caller saw Unknown or a bare reset.
/// </summary>
public sealed class ForwardedIngest(AsyncClientStreamingCall<IngestRequest, IngestResponse> call, string address) : IDisposable
{
    /// <summary>Sends one message to the ScoringService.</summary>
    public async Task WriteAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        // Our own cancellation passes through; anything else (including a write that reports Cancelled because the
        // ScoringService ended the call, e.g. refusing the key, and reset the stream) is the forward failing.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw await FailureAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the stream and returns the ScoringService's summary.</summary>
    public async Task<IngestResponse> CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw await FailureAsync(e).ConfigureAwait(false);
        }
    }

    public void Dispose() => call.Dispose();

    // A write fails once the ingest call has ended; the call's own status says why, so prefer it to a transport error
    // or to the Cancelled / Unknown a write reports when the stream was reset under it.
    private async Task<RpcException> FailureAsync(Exception first)
    {
        var status = first is RpcException rpc ? rpc.Status : new Status(StatusCode.Unavailable, first.Message);
        if (first is not RpcException || status.StatusCode is StatusCode.Cancelled or StatusCode.Unknown)
        {
            try
            {
                // The call has ended when a write fails; the bound only guards against a peer that never answers.
                await call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (RpcException ended)
            {
                status = ended.Status;
            }
#pragma warning disable CA1031 // any other failure of the dead call adds nothing to the first one
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        // The store's own status is the answer (RESOURCE_EXHAUSTED for a full disk, INTERNAL with its correlation id);
        // only a call that never got one (reset, unreachable) is Unavailable.
        var code = status.StatusCode is StatusCode.Unknown or StatusCode.Cancelled or StatusCode.OK ? StatusCode.Unavailable : status.StatusCode;
        return new RpcException(new Status(code, $"forwarding to the ScoringService at {address} failed: {status.Detail}"));
    }
}
