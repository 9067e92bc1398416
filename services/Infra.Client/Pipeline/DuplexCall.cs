using Grpc.Core;

namespace Infra.Client.Pipeline;

/// <summary>How the pipeline runs a full-duplex call (ComputeGradients, FitFactors) to its end.</summary>
internal static class DuplexCall
{
    // A full-duplex call: requests go out concurrently with reading the responses, so the stream never stalls on flow
    // control; a failed response stream stops the writer (left blocked on flow control otherwise) before it is awaited.
    public static async Task<bool> RunAsync<TRequest, TResponse>(Func<CancellationToken, AsyncDuplexStreamingCall<TRequest, TResponse>> open,
        TRequest first, IEnumerable<TRequest> rest, Action<TResponse> onResponse, CancellationToken token)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var call = open(cancel.Token);
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(first, cancel.Token).ConfigureAwait(false);
            foreach (var item in rest) await call.RequestStream.WriteAsync(item, cancel.Token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }, cancel.Token);
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancel.Token).ConfigureAwait(false)) onResponse(message);
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
                // The response stream's outcome (above) is the one that matters.
            }
        }
        return true;
    }
}
