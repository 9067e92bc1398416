using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Checkpoints;
using Infra.Gradients.Hosting;
using Infra.Scoring.Hosting;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Validation.Tests;

/// <summary>
/// With the identity projection, the services' EK-FAC scores — the GradientService's full-space EK-FAC
/// preconditioning of the queries, and the ScoringService's EK-FAC fitted on the stored token factors — equal an
/// explicit EK-FAC computed densely here: per-example weight gradients by plain autograd on the weights, the K-FAC
/// covariances of every token's layer input and output gradient, their eigenbases, the corrected eigenvalues Λ, the
/// Kronecker-structured matrix <c>H = (U_S ⊗ U_A) diag(Λ + λ) (U_S ⊗ U_A)ᵀ</c> written out entry by entry and inverted
/// explicitly, in float64.
/// </summary>
public sealed class ServiceEquivalenceTests : IDisposable
{
    private static readonly HfModelConfig Config = TinyModelConfigs.Qwen2Hidden16 with { NumHiddenLayers = 1 };

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Service_scores_with_identity_projection_equal_an_explicit_dense_ekfac()
    {
        var modelPath = Path.Combine(_temp.Path, "model");
        SeededCheckpoint.Write(modelPath, Config, seed: 5);
        var rng = new Random(7);
        var training = Enumerable.Range(0, 12).Select(i => Sequence($"train-{i}", rng)).ToList();
        var queries = Enumerable.Range(0, 3).Select(i => Sequence($"query-{i}", rng)).ToList();

        var expected = DenseEkfacScores(modelPath, training, queries);
        var (fullSpace, projected, exact) = await ServiceScoresAsync(modelPath, training, queries);

        var scale = expected.Cast<double>().Max(Math.Abs);
        Assert.True(scale > 0);
        for (var q = 0; q < queries.Count; q++)
        {
            for (var n = 0; n < training.Count; n++)
            {
                Assert.True(Math.Abs(fullSpace[q, n] - expected[q, n]) <= 1e-4 * scale,
                    $"full-space EK-FAC, query {q}, example {n}: service {fullSpace[q, n]}, dense {expected[q, n]}");
                Assert.True(Math.Abs(projected[q, n] - expected[q, n]) <= 1e-4 * scale,
                    $"store-fitted EK-FAC, query {q}, example {n}: service {projected[q, n]}, dense {expected[q, n]}");
                Assert.True(Math.Abs(exact.Examples[q, n] - expected[q, n]) <= 1e-4 * scale,
                    $"ScoreExact, query {q}, example {n}: service {exact.Examples[q, n]}, dense {expected[q, n]}");
                Assert.True(Math.Abs(exact.Examples[q, n] - fullSpace[q, n]) <= 1e-4 * scale,
                    $"ScoreExact vs the identity store, query {q}, example {n}: {exact.Examples[q, n]} vs {fullSpace[q, n]}");
            }
        }
        // Stage 2 (ScoreExact, recomputed) and the identity-projected float32 store's token scores are the same quantity.
        var tokenScale = exact.StoreTokens.Values.SelectMany(t => t).Max(Math.Abs);
        Assert.True(tokenScale > 0);
        foreach (var e in training)
        {
            var recomputed = exact.Tokens[e.Id];
            var stored = exact.StoreTokens[e.Id];
            Assert.Equal(e.Ids.Length * queries.Count, recomputed.Length);
            Assert.Equal(stored.Length, recomputed.Length);
            for (var i = 0; i < stored.Length; i++)
                Assert.True(Math.Abs(recomputed[i] - stored[i]) <= 1e-4 * tokenScale, $"{e.Id} token {i / queries.Count} query {i % queries.Count}: ScoreExact {recomputed[i]}, store {stored[i]}");
        }
    }

    // Token ids of a byte-level model with the loss on the second half (the "response").
    private static (string Id, int[] Ids, byte[] Mask) Sequence(string id, Random rng)
    {
        var length = rng.Next(8, 16);
        var ids = Enumerable.Range(0, length).Select(_ => rng.Next(0, 256)).ToArray();
        var mask = Enumerable.Range(0, length).Select(t => (byte)(t >= length / 2 ? 1 : 0)).ToArray();
        return (id, ids, mask);
    }

    // ScoreExact's example scores (query x example) and token scores, and the store's token scores, each token x query in the queries' order.
    private sealed record ExactResults(double[,] Examples, Dictionary<string, double[]> Tokens, Dictionary<string, double[]> StoreTokens);

    private async Task<(double[,] FullSpace, double[,] Projected, ExactResults Exact)> ServiceScoresAsync(string modelPath,
        List<(string Id, int[] Ids, byte[] Mask)> training, List<(string Id, int[] Ids, byte[] Mask)> queries)
    {
        var (gradientApp, gradientAddress) = await LoopbackHosts.StartGradientsAsync(modelPath, Path.Combine(_temp.Path, "factors"));
        await using var _ = gradientApp;
        var (scoringApp, scoringAddress) = await LoopbackHosts.StartScoringAsync(Path.Combine(_temp.Path, "store"));
        await using var __ = scoringApp;
        using var gradientChannel = GrpcChannel.ForAddress(gradientAddress);
        using var scoringChannel = GrpcChannel.ForAddress(scoringAddress);
        var gradients = new GradientService.GradientServiceClient(gradientChannel);
        var scoring = new ScoringService.ScoringServiceClient(scoringChannel);
        var identity = new ProjectionSpec { Identity = true };

        using (var call = gradients.ComputeGradients())
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest
            {
                Options = new GradientOptions
                {
                    Projection = identity, IncludeExampleGradient = true, IncludeTokenFactors = true,
                    ForwardTo = scoringAddress.ToString(), ForwardStoreDtype = WireDtype.Float32,
                },
            });
            foreach (var e in training) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = Wire(e) });
            await call.RequestStream.CompleteAsync();
            await foreach (var message in call.ResponseStream.ReadAllAsync()) { }
        }
        foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
        {
            using var call = gradients.FitFactors();
            await call.RequestStream.WriteAsync(new FitFactorsRequest { Options = new FitFactorsOptions { Name = "ekfac", Phase = phase } });
            foreach (var e in training) await call.RequestStream.WriteAsync(new FitFactorsRequest { Example = Wire(e) });
            await call.RequestStream.CompleteAsync();
            await foreach (var message in call.ResponseStream.ReadAllAsync()) { }
        }
        using (var fit = scoring.Fit(new FitRequest { Name = "ekfac", Kind = Contracts.Scoring.V1.PreconditionerKind.Ekfac }))
            await foreach (var message in fit.ResponseStream.ReadAllAsync()) { }

        await RegisterAsync(gradients, scoring, queries, identity, "preconditioned", "ekfac");
        await RegisterAsync(gradients, scoring, queries, identity, "plain", "");
        var fullSpace = await AllScoresAsync(scoring, "preconditioned", "", training, queries);
        var projected = await AllScoresAsync(scoring, "plain", "ekfac", training, queries);
        var exact = await ExactScoresAsync(gradients, training, queries);
        var storeTokens = await StoreTokenScoresAsync(scoring, "preconditioned", queries);
        return (fullSpace, projected, exact with { StoreTokens = storeTokens });
    }

    private static async Task<ExactResults> ExactScoresAsync(GradientService.GradientServiceClient gradients,
        List<(string Id, int[] Ids, byte[] Mask)> training, List<(string Id, int[] Ids, byte[] Mask)> queries)
    {
        var options = new ExactScoringOptions { FactorsName = "ekfac", IncludeTokenScores = true, BatchSize = 5 };
        options.Queries.AddRange(queries.Select(Wire));
        var examples = new double[queries.Count, training.Count];
        var tokens = new Dictionary<string, double[]>();
        using var call = gradients.ScoreExact();
        await call.RequestStream.WriteAsync(new ScoreExactRequest { Options = options });
        foreach (var e in training) await call.RequestStream.WriteAsync(new ScoreExactRequest { Candidate = Wire(e) });
        await call.RequestStream.CompleteAsync();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            if (response.ItemCase == ScoreExactResponse.ItemOneofCase.Header)
                Assert.Equal(queries.Select(q => q.Id), response.Header.QueryIds);
            if (response.ItemCase != ScoreExactResponse.ItemOneofCase.Scores) continue;
            var scores = response.Scores;
            Assert.Equal(ScoreFidelity.Exact, scores.Fidelity);
            var n = training.FindIndex(e => e.Id == scores.ExampleId);
            for (var q = 0; q < queries.Count; q++) examples[q, n] = scores.ExampleScores[q];
            tokens[scores.ExampleId] = scores.TokenScores.ToArray();
        }
        Assert.Equal(training.Count, tokens.Count);
        return new ExactResults(examples, tokens, []);
    }

    private static async Task<Dictionary<string, double[]>> StoreTokenScoresAsync(ScoringService.ScoringServiceClient scoring, string set,
        List<(string Id, int[] Ids, byte[] Mask)> queries)
    {
        var result = new Dictionary<string, double[]>();
        using var call = scoring.ScoreTokens(new ScoreTokensRequest { QuerySet = set });
        await foreach (var t in call.ResponseStream.ReadAllAsync())
        {
            var columns = queries.Select(q => t.QueryIds.IndexOf(q.Id)).ToArray();
            var rows = t.TokenIds.Count;
            var scores = new double[rows * queries.Count];
            for (var row = 0; row < rows; row++)
                for (var q = 0; q < queries.Count; q++)
                    scores[row * queries.Count + q] = t.Scores[row * t.QueryIds.Count + columns[q]];
            result[t.ExampleId] = scores;
        }
        return result;
    }

    private static async Task RegisterAsync(GradientService.GradientServiceClient gradients, ScoringService.ScoringServiceClient scoring,
        List<(string Id, int[] Ids, byte[] Mask)> queries, ProjectionSpec projection, string name, string factors)
    {
        var request = new ComputeQueryGradientsRequest { Projection = projection, FactorsName = factors };
        request.Queries.AddRange(queries.Select(Wire));
        using var source = gradients.ComputeQueryGradients(request);
        using var sink = scoring.RegisterQueries();
        var header = new QuerySetHeader { Name = name };
        header.Queries.AddRange(queries.Select(q => new QueryInfo { Id = q.Id }));
        await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = header });
        await foreach (var chunk in source.ResponseStream.ReadAllAsync())
            await sink.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = chunk });
        await sink.RequestStream.CompleteAsync();
        await sink;
    }

    private static async Task<double[,]> AllScoresAsync(ScoringService.ScoringServiceClient scoring, string set, string preconditioner,
        List<(string Id, int[] Ids, byte[] Mask)> training, List<(string Id, int[] Ids, byte[] Mask)> queries)
    {
        var scores = new double[queries.Count, training.Count];
        var seen = 0;
        using var call = scoring.Score(new ScoreRequest { QuerySet = set, Preconditioner = preconditioner, IncludeAllScores = true, TopK = 1 });
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            if (response.ItemCase != ScoreResponse.ItemOneofCase.Chunk) continue;
            var chunk = response.Chunk;
            for (var row = 0; row < chunk.ExampleIds.Count; row++)
            {
                var n = training.FindIndex(e => e.Id == chunk.ExampleIds[row]);
                for (var col = 0; col < chunk.QueryIds.Count; col++)
                {
                    scores[queries.FindIndex(q => q.Id == chunk.QueryIds[col]), n] = chunk.Raw[row * chunk.QueryIds.Count + col];
                    seen++;
                }
            }
        }
        Assert.Equal(queries.Count * training.Count, seen);
        return scores;
    }

    private static Example Wire((string Id, int[] Ids, byte[] Mask) e)
    {
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange(e.Ids);
        tokens.LossMask.AddRange(e.Mask.Select(m => (uint)m));
        return new Example { Id = e.Id, Tokens = tokens };
    }

    // The reference, independent of the services' factor and preconditioner code.
    private static double[,] DenseEkfacScores(string modelPath, List<(string Id, int[] Ids, byte[] Mask)> training, List<(string Id, int[] Ids, byte[] Mask)> queries)
    {
        using var checkpoint = CheckpointFolder.Open(modelPath);
        using var model = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
        model.eval();
        var names = model.LinearLayers().Where(l => l.Name.Contains(".mlp.", StringComparison.Ordinal)).Select(l => l.Name).ToList();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var scope = NewDisposeScope();

        // Every token's layer input a_t and output gradient g_t (for the K-FAC covariances), and every example's weight gradient.
        var tokenA = names.ToDictionary(n => n, _ => new List<Tensor>());
        var tokenG = names.ToDictionary(n => n, _ => new List<Tensor>());
        var exampleGradients = new List<Dictionary<string, Tensor>>();
        foreach (var e in training)
        {
            var (grads, a, g) = Gradients(model, weights, names, e, meanOverAnswer: false);
            exampleGradients.Add(grads);
            foreach (var n in names)
            {
                tokenA[n].Add(a[n]);
                tokenG[n].Add(g[n]);
            }
        }
        var queryGradients = queries.Select(q => Gradients(model, weights, names, q, meanOverAnswer: true).Grads).ToList();

        var result = new double[queries.Count, training.Count];
        foreach (var name in names)
        {
            var a = cat(tokenA[name], 0);
            var g = cat(tokenG[name], 0);
            var (_, uA) = linalg.eigh(a.t().matmul(a) / a.shape[0]);
            var (_, uS) = linalg.eigh(g.t().matmul(g) / g.shape[0]);
            var lambda = stack(exampleGradients.Select(x => uS.t().matmul(x[name]).matmul(uA).square())).mean([0L]);
            var damping = 0.1 * lambda.mean().item<double>();
            // vec is row-major over [d_out, d_in]: the basis vector of eigen-pair (i, j) is kron(u_S[:, i], u_A[:, j]).
            var basis = kron(uS, uA);
            var h = basis.matmul(diag(lambda.flatten() + damping)).matmul(basis.t());
            var inverse = linalg.inv(h);
            for (var q = 0; q < queries.Count; q++)
            {
                var qh = queryGradients[q][name].flatten().matmul(inverse);
                for (var n = 0; n < training.Count; n++)
                    result[q, n] += qh.dot(exampleGradients[n][name].flatten()).item<double>();
            }
        }
        return result;
    }

    // Weight gradients of L = sum_t m_t CE_t (training) or of -f = L / n (query) by autograd on the weights, float64;
    // and every token's layer input a_t and output gradient g_t of the training loss, from the weight-gradient
    // identity checked against autograd: dL/dW = sum_t g_t a_tᵀ.
    private static (Dictionary<string, Tensor> Grads, Dictionary<string, Tensor> A, Dictionary<string, Tensor> G) Gradients(
        Qwen2ForCausalLM model, Dictionary<string, TorchSharp.Modules.Parameter> weights, List<string> names, (string Id, int[] Ids, byte[] Mask) e, bool meanOverAnswer)
    {
        model.zero_grad();
        var t = e.Ids.Length;
        var ids = tensor(e.Ids.Select(i => (long)i).ToArray(), [1, t]);
        var capture = new LinearCapture(names.ToHashSet());
        model.Capture.Active = capture;
        Tensor logits;
        try
        {
            logits = model.call(ids);
        }
        finally
        {
            model.Capture.Active = null;
        }
        var mask = tensor(e.Mask.Skip(1).Select(m => (float)m).ToArray());
        var ce = nn.functional.cross_entropy(logits[0].narrow(0, 0, t - 1), ids[0].narrow(0, 1, t - 1), reduction: nn.Reduction.None) * mask;
        var loss = ce.sum();
        if (meanOverAnswer) loss = loss / mask.sum();
        var outputs = names.Select(n => capture.Get(n).Output).ToList();
        var outputGradients = autograd.grad([loss], outputs, retain_graph: true);
        loss.backward();
        var grads = names.ToDictionary(n => n, n => weights[n + ".weight"].grad!.detach().to(ScalarType.Float64).clone());
        var a = names.ToDictionary(n => n, n => capture.Get(n).Input.detach().reshape(t, -1).to(ScalarType.Float64));
        var g = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => outputGradients[x.i].detach().reshape(t, -1).to(ScalarType.Float64));
        foreach (var n in names)
        {
            // The factorisation the covariances rest on, against autograd's weight gradient.
            var rebuilt = g[n].t().matmul(a[n]);
            if (!meanOverAnswer && !rebuilt.allclose(grads[n], rtol: 1e-4, atol: 1e-6))
                throw new InvalidOperationException($"{n}: sum_t g_t a_tᵀ differs from autograd's weight gradient");
        }
        return (grads, a, g);
    }
}
