using Grpc.Core;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;

namespace Infra.Bench;

/// <summary>Drives one ComputeGradients call as a batch client does: sends while receiving, reassembles every example.</summary>
internal static class StreamClient
{
    /// <summary>Returns the payload bytes (factor data + scales) and the examples received.</summary>
    public static async Task<(long PayloadBytes, int Examples)> ComputeAsync(GradientService.GradientServiceClient client,
        GradientOptions options, IReadOnlyList<Example> examples, CancellationToken token = default)
    {
        using var call = client.ComputeGradients(cancellationToken: token);
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = options }, token).ConfigureAwait(false);
            foreach (var e in examples)
                await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e }, token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }, token);
        var assembler = new ExampleAssembler();
        long bytes = 0;
        var received = 0;
        await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (assembler.Accept(message) is { } done)
            {
                bytes += done.PayloadBytes;
                received++;
            }
        }
        await sending.ConfigureAwait(false);
        return (bytes, received);
    }
}
