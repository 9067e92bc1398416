using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Validation.Exact;

/// <summary>
/// Exact damped influence on a small tracked parameter set, the quantity EK-FAC approximates:
/// <c>I_q(n) = q^T (F + D)^-1 g_n</c> with <c>g_n = vec ∇L_n</c> over every tracked weight (full space, no projection),
/// <c>q = vec ∇(−f_q)</c>, the empirical Fisher <c>F = (1/N) sum_n g_n g_nᵀ</c> (the example-gradient second moment whose
/// eigenbasis diagonal EK-FAC's Λ is), and <c>D</c> diagonal with <c>λ_l = 0.1 x mean(diag F_ll)</c> on layer l's block —
/// equal to EK-FAC's default <c>0.1 x mean(Λ_l)</c>, since rotating into an eigenbasis keeps the trace. The inverse is
/// formed explicitly, in float64. Dense, so only for a few thousand tracked weights.
/// </summary>
public static class ExactInfluence
{
    /// <summary>Exact scores <c>[query][example]</c>.</summary>
    /// <param name="model">The model (CPU).</param>
    /// <param name="layers">Tracked layers; their weights together make the dense dimension.</param>
    /// <param name="training">Training examples.</param>
    /// <param name="queries">Queries (answer under the loss mask).</param>
    /// <param name="blockDiagonal">Drop the cross-layer blocks of F, as every layer-wise approximation does. Defaults to false.</param>
    /// <param name="batchSize">Examples per forward/backward. Defaults to 8.</param>
    public static double[][] Scores(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, IReadOnlyList<TokenizedExample> training,
        IReadOnlyList<TokenizedExample> queries, bool blockDiagonal = false, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(queries);
        var computer = new FactorComputer(model, layers);
        using var projector = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var engine = new GradientEngine(computer, projector) { IncludeTokenFactors = false };
        var gradients = training.Chunk(batchSize).SelectMany(c => engine.Compute(c)).Select(e => Concat(e.Layers.Select(l => l.ExampleGradient!))).ToList();
        var queryGradients = new QueryGradientEngine(computer, projector)
            .Compute(queries, MeasurementReduction.Mean, aggregate: false, batchSize: batchSize)
            .Select(q => Concat(q.Layers)).ToList();

        using var scope = NewDisposeScope();
        var dims = layers.Select(l => l.DIn * l.DOut).ToArray();
        var total = dims.Sum();
        var g = tensor(gradients.SelectMany(x => x).ToArray(), [gradients.Count, total]);
        var q = tensor(queryGradients.SelectMany(x => x).ToArray(), [queryGradients.Count, total]);
        var fisher = g.t().matmul(g) / gradients.Count;
        var damping = new double[total];
        var offset = 0;
        foreach (var d in dims)
        {
            var lambda = 0.1 * fisher.diagonal().narrow(0, offset, d).mean().item<double>();
            Array.Fill(damping, lambda, offset, d);
            if (blockDiagonal)
            {
                // Zero everything of these rows outside the layer's own block.
                if (offset > 0) fisher.narrow(0, offset, d).narrow(1, 0, offset).zero_();
                if (offset + d < total) fisher.narrow(0, offset, d).narrow(1, offset + d, total - offset - d).zero_();
            }
            offset += d;
        }
        var inverse = linalg.inv(fisher + diag(tensor(damping)));
        var scores = q.matmul(inverse).matmul(g.t());
        var flat = scores.data<double>().ToArray();
        return Enumerable.Range(0, queryGradients.Count).Select(i => flat.AsSpan(i * gradients.Count, gradients.Count).ToArray()).ToArray();
    }

    private static double[] Concat(IEnumerable<float[]> parts) => parts.SelectMany(p => p).Select(v => (double)v).ToArray();
}
