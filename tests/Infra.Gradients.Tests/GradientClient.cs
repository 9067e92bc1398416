using Grpc.Core;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;

namespace Infra.Gradients.Tests;

/// <summary>Drives the streaming calls the way a batch client does: send while receiving.</summary>
internal static class GradientClient
{
    public static Example Chat(string id, string prompt, string response, string domain = "math", int difficulty = 1) =>
        new() { Id = id, Prompt = prompt, Response = response, Domain = domain, Difficulty = difficulty };

    public static async Task<(List<ReceivedExample> Examples, Progress? Progress)> ComputeAsync(
        GradientService.GradientServiceClient client, GradientOptions options, IEnumerable<Example> examples, CancellationToken token = default)
    {
        using var call = client.ComputeGradients(cancellationToken: token);
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = options }, token);
            foreach (var e in examples)
                await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e }, token);
            await call.RequestStream.CompleteAsync();
        }, token);
        var assembler = new ExampleAssembler();
        var received = new List<ReceivedExample>();
        await foreach (var message in call.ResponseStream.ReadAllAsync(token))
        {
            if (assembler.Accept(message) is { } done) received.Add(done);
        }
        await sending;
        return (received, assembler.LastProgress);
    }

    public static async Task<QueryGradientAssembler> QueryAsync(GradientService.GradientServiceClient client, ComputeQueryGradientsRequest request)
    {
        using var call = client.ComputeQueryGradients(request);
        var assembler = new QueryGradientAssembler();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            assembler.Accept(chunk);
        return assembler;
    }

    /// <summary>ScoreExact's replies, in order: the header, one scores message per candidate, a progress per batch.</summary>
    public static async Task<List<ScoreExactResponse>> ScoreExactAsync(GradientService.GradientServiceClient client, ExactScoringOptions options,
        IEnumerable<Example> candidates, CancellationToken token = default)
    {
        using var call = client.ScoreExact(cancellationToken: token);
        // Send while reading: a refused call ends early, and its status arrives on the response stream.
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ScoreExactRequest { Options = options }, token);
            foreach (var c in candidates)
                await call.RequestStream.WriteAsync(new ScoreExactRequest { Candidate = c }, token);
            await call.RequestStream.CompleteAsync();
        }, token);
        var responses = new List<ScoreExactResponse>();
        await foreach (var r in call.ResponseStream.ReadAllAsync(token))
            responses.Add(r);
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        return responses;
    }

    public static async Task<List<FitFactorsResponse>> FitAsync(GradientService.GradientServiceClient client, FitFactorsOptions options, IEnumerable<Example> examples)
    {
        using var call = client.FitFactors();
        // Send while reading: a refused call ends early, and its status arrives on the response stream.
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new FitFactorsRequest { Options = options });
            foreach (var e in examples)
                await call.RequestStream.WriteAsync(new FitFactorsRequest { Example = e });
            await call.RequestStream.CompleteAsync();
        });
        var responses = new List<FitFactorsResponse>();
        await foreach (var r in call.ResponseStream.ReadAllAsync())
            responses.Add(r);
        await sending;
        return responses;
    }
}
