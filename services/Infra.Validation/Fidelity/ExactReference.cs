using System.Diagnostics;
using Infra.Core.Compression;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Validation.Fidelity;

/// <summary>
/// Exact EK-FAC influence in the full space, what stage 2 computes and stage 1 approximates:
/// <c>I_q(n) = &lt;Q̃_q, G_n&gt;</c> with <c>Q̃_q</c> the full-space preconditioned query gradient of
/// <see cref="QueryGradientEngine"/> (<see cref="EkfacLayerFactors.Precondition"/>) and <c>G_n</c> the example's
/// full weight gradient, summed over tracked layers — the same quantity as
/// <see cref="Influence.InfluenceEstimator"/> at <see cref="ProjectionSpec.Exact"/> with full-space EK-FAC, streamed
/// instead of written to a store (a full-space store of the default model takes megabytes per example).
/// The eigen-truncated path is computed in the same pass: <c>&lt;U_S,kᵀ Q̃ U_A,k, U_S,kᵀ G U_A,k&gt;</c>, U_·,k the
/// eigenvectors of the k largest eigenvalues (float64).
/// </summary>
/// <param name="model">The model (eval mode, CPU).</param>
/// <param name="layers">Tracked layers.</param>
/// <param name="batchSize">Examples per forward/backward. Defaults to 8.</param>
public sealed class ExactReference(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, int batchSize = 8)
{
    /// <summary>Scores every training example on every query; eigen-truncated scores for each of <paramref name="eigenDims"/>.</summary>
    public ExactScores Score(IReadOnlyList<TokenizedExample> training, IReadOnlyList<TokenizedExample> queries,
        IReadOnlyList<EkfacLayerFactors> factors, IReadOnlyList<int> eigenDims)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(eigenDims);
        var exactClock = Stopwatch.StartNew();
        var eigenClock = new Stopwatch();
        var computer = new FactorComputer(model, layers);
        using var projector = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var preconditioned = new QueryGradientEngine(computer, projector)
            .Compute(queries, MeasurementReduction.Mean, aggregate: false, factors: factors, batchSize: batchSize);
        var exact = new double[queries.Count, training.Count];
        var truncated = eigenDims.Distinct().ToDictionary(k => k, _ => new double[queries.Count, training.Count]);

        using var scope = NewDisposeScope();
        var q = layers.Select((l, i) => stack(preconditioned.Select(p => tensor(p.Layers[i], [l.DOut, l.DIn], ScalarType.Float64)).ToArray())).ToArray();
        exactClock.Stop();
        eigenClock.Start();
        var bases = truncated.Keys.ToDictionary(k => k, k => layers.Select((_, i) => TopBases(factors[i], k)).ToArray());
        var rotatedQueries = bases.ToDictionary(kv => kv.Key, kv => q.Select((t, i) => Rotate(t, kv.Value[i])).ToArray());
        eigenClock.Stop();
        exactClock.Start();

        var engine = new GradientEngine(computer, projector) { IncludeTokenFactors = false };
        var offset = 0;
        foreach (var chunk in training.Chunk(batchSize))
        {
            using var batchScope = NewDisposeScope();
            var computed = engine.Compute(chunk);
            for (var l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                var g = stack(computed.Select(e => tensor(e.Layers[l].ExampleGradient!, [layer.DOut, layer.DIn], ScalarType.Float64)).ToArray());
                Accumulate(exact, offset, q[l].flatten(1).matmul(g.flatten(1).t()));
                exactClock.Stop();
                eigenClock.Start();
                foreach (var (k, scores) in truncated)
                    Accumulate(scores, offset, rotatedQueries[k][l].flatten(1).matmul(Rotate(g, bases[k][l]).flatten(1).t()));
                eigenClock.Stop();
                exactClock.Start();
            }
            offset += chunk.Length;
        }
        exactClock.Stop();
        return new ExactScores(Rows(exact), truncated.ToDictionary(kv => kv.Key, kv => Rows(kv.Value)),
            exactClock.Elapsed.TotalSeconds, eigenClock.Elapsed.TotalSeconds);
    }

    // U_S,k and U_A,k: the eigenvectors of the k largest eigenvalues (all of them when k is at least the dimension).
    private static (Tensor S, Tensor A) TopBases(EkfacLayerFactors f, int k) =>
        (Top(f.GradientEigenvectors, f.GradientEigenvalues, k), Top(f.ActivationEigenvectors, f.ActivationEigenvalues, k));

    private static Tensor Top(Tensor vectors, Tensor values, int k)
    {
        var order = values.argsort(descending: true).narrow(0, 0, Math.Min(k, (int)values.shape[0]));
        return vectors.index_select(1, order).to(ScalarType.Float64);
    }

    // [B, d_out, d_in] -> [B, k_out, k_in]: U_Sᵀ X U_A.
    private static Tensor Rotate(Tensor x, (Tensor S, Tensor A) basis) => basis.S.t().matmul(x).matmul(basis.A);

    private static void Accumulate(double[,] into, int offset, Tensor block)
    {
        var values = block.contiguous().data<double>().ToArray();
        var columns = (int)block.shape[1];
        for (var r = 0; r < block.shape[0]; r++)
            for (var c = 0; c < columns; c++) into[r, offset + c] += values[r * columns + c];
    }

    private static double[][] Rows(double[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(r => Enumerable.Range(0, m.GetLength(1)).Select(c => m[r, c]).ToArray()).ToArray();
}
