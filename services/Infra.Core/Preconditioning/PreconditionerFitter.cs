using System.Diagnostics;
using Infra.Core.Linalg;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Preconditioning;

/// <summary>
/// Fits a projected-space preconditioner (LoGra style) on a store, on the CPU, without the model:
/// (1) for K-FAC/EK-FAC, token covariances <c>A = E[â âᵀ]</c>, <c>S = E[ĝ ĝᵀ]</c> over every stored token
/// and their eigendecompositions; (2) <c>Λ</c> over the stored example gradients (diagonal: <c>E[Ĝ²]</c>;
/// EK-FAC: <c>E[(U_Sᵀ Ĝ U_A)²]</c>; K-FAC: <c>σ αᵀ</c> times the mean tokens per example); (3) damping <c>λ</c> (argument, or
/// <c>0.1 x mean(Λ)</c> per layer); (4) every example's self-influence for normalised scores.
/// </summary>
public static class PreconditionerFitter
{
    /// <remarks>The cancellation token is checked every 4,096 token rows, every example gradient and every eigen-decomposition, so a cancelled fit stops within a second.</remarks>
    /// <exception cref="StoreException">Empty store, or K-FAC/EK-FAC on a store without token factors.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static FittedPreconditioner Fit(IStoreView store, string name, PreconditionerKind kind, double? damping = null, IProgress<PreconditionerFitProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Count == 0) throw new StoreException(StoreErrorKind.FailedPrecondition, $"store {store.Path} is empty: ingest examples before fitting");
        if (damping is { } d && !(d > 0 && double.IsFinite(d))) throw DomainException.InvalidArgument($"damping must be positive and finite, got {damping}");
        var schema = store.Schema;
        var needsTokens = kind is PreconditionerKind.Kfac or PreconditionerKind.Ekfac;
        if (needsTokens && !schema.TokenFactors)
            throw new StoreException(StoreErrorKind.FailedPrecondition, $"{kind} needs per-token factors, and store {store.Path} was indexed without them: use identity or diagonal, or re-index with token factors");

        var layers = schema.Layers;
        var clock = Stopwatch.StartNew();
        var bases = new (double[] UA, double[] Alpha, double[] US, double[] Sigma)[layers.Count];
        if (needsTokens)
        {
            for (var l = 0; l < layers.Count; l++)
            {
                var a = new CovarianceAccumulator(layers[l].KIn);
                var s = new CovarianceAccumulator(layers[l].KOut);
                foreach (var shard in store.Shards)
                {
                    for (long first = 0; first < shard.TokenCount; first += 4096)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var count = (int)Math.Min(4096, shard.TokenCount - first);
                        a.Add(shard.DecodeTokenRows(l, false, (int)first, count));
                        s.Add(shard.DecodeTokenRows(l, true, (int)first, count));
                    }
                }
                cancellationToken.ThrowIfCancellationRequested();
                var (alpha, uA) = SymmetricEigen.Decompose(a.Mean(), layers[l].KIn);
                var (sigma, uS) = SymmetricEigen.Decompose(s.Mean(), layers[l].KOut);
                bases[l] = (uA, alpha, uS, sigma);
                progress?.Report(new PreconditionerFitProgress(PreconditionerFitStage.Covariances, kind, l, layers.Count, layers[l].Name, a.Count, 0, store.Count, clock.Elapsed));
            }
        }

        var lambdas = layers.Select(l => new double[l.GradientLength]).ToArray();
        if (kind is PreconditionerKind.Diagonal or PreconditionerKind.Ekfac)
        {
            foreach (var (gradient, layer) in Gradients(store))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var values = kind == PreconditionerKind.Diagonal
                    ? gradient.Select(v => (double)v).ToArray()
                    : Dense.Rotate(bases[layer].US, gradient.Select(v => (double)v).ToArray(), bases[layer].UA, layers[layer].KOut, layers[layer].KIn);
                for (var i = 0; i < values.Length; i++) lambdas[layer][i] += values[i] * values[i] / store.Count;
            }
        }
        else if (kind == PreconditionerKind.Kfac)
        {
            // A and S are per-token means while Ĝ sums over an example's tokens: scaling σαᵀ by the mean
            // token count puts K-FAC's Λ on the same scale as EK-FAC's (exact when tokens are independent).
            var tokensPerExample = store.Shards.Sum(s => s.TokenCount) / (double)store.Count;
            for (var l = 0; l < layers.Count; l++)
                for (var i = 0; i < layers[l].KOut; i++)
                    for (var j = 0; j < layers[l].KIn; j++)
                        lambdas[l][i * layers[l].KIn + j] = tokensPerExample * bases[l].Sigma[i] * bases[l].Alpha[j];
        }

        var fitted = layers.Select((layer, l) => new LayerPreconditioner(kind, layer.KIn, layer.KOut,
            needsTokens ? bases[l].UA : null, needsTokens ? bases[l].Alpha : null,
            needsTokens ? bases[l].US : null, needsTokens ? bases[l].Sigma : null,
            kind == PreconditionerKind.Identity ? null : lambdas[l],
            kind == PreconditionerKind.Identity ? 0 : damping ?? 0.1 * lambdas[l].Average())).ToList();

        var selfInfluence = new double[store.Count];
        var index = 0L;
        foreach (var shard in store.Shards)
        {
            for (var row = 0; row < shard.Count; row++, index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var l = 0; l < layers.Count; l++)
                    selfInfluence[index] += fitted[l].SelfInfluence(shard.DecodeExampleGradient(row, l));
            }
        }
        progress?.Report(new PreconditionerFitProgress(PreconditionerFitStage.Fitted, kind, 0, layers.Count, "", 0, store.Count, store.Count, clock.Elapsed));
        return new FittedPreconditioner(name, kind, damping, fitted, selfInfluence);
    }

    private static IEnumerable<(float[] Gradient, int Layer)> Gradients(IStoreView store)
    {
        foreach (var shard in store.Shards)
            for (var row = 0; row < shard.Count; row++)
                for (var l = 0; l < store.Schema.Layers.Count; l++)
                    yield return (shard.DecodeExampleGradient(row, l), l);
    }
}
