namespace Infra.Bench.Scale;

/// <summary>
/// FLOPs, bytes and memory of the pipeline's stages from the model's dimensions (docs/scale.md explains each term). Every
/// figure is a count, not a fit: only the machine rates (<see cref="MachineRates"/>) turn counts into time.
/// </summary>
internal static class CostModel
{
    private const double GiB = 1024.0 * 1024 * 1024;

    /// <summary>Bytes of the libtorch and .NET runtime before any model: measured here at 0.35-0.45 GiB.</summary>
    public const double RuntimeBytes = 0.4 * GiB;

    /// <summary>Loss rows whose logits are formed at once (the engine's default chunk).</summary>
    private const int LossChunk = 1024;

    /// <summary>
    /// FLOPs of one example's gradient pass by kind: the linear layers (forward, and the backward to the tracked layers'
    /// outputs — input gradients only, no weight gradients are formed — plus a recomputed forward when
    /// <paramref name="layerwise"/>), causal attention, the head at loss positions only, and the projections with
    /// <c>Ĝ = Σ_t ĝ_t â_tᵀ</c>.
    /// </summary>
    public static GradientFlops Gradient(ModelShape m, Workload w, bool layerwise)
    {
        double t = w.Tokens, passes = layerwise ? 3 : 2;
        var linear = 2.0 * m.LayerLinearParameters * t * passes;
        // QKᵀ and PV over t²/2 causal pairs, 2 FLOPs per pair and query dim: 2 t² n_q d_h per forward; the backward is twice that.
        var attention = 2.0 * t * t * m.Heads * m.HeadDim * (passes + 1);
        var projection = t * 2.0 * (3.0 * m.Hidden * w.K + 3.0 * m.Intermediate * w.K + 3.0 * w.K * w.K);
        return new GradientFlops(m.Layers * linear, m.Layers * attention, 4.0 * m.Hidden * (double)m.Vocab * w.LossTokens, m.Layers * projection);
    }

    /// <summary>Whether the engine takes the layer-by-layer sweep (its graph estimate over the 4 GiB default budget).</summary>
    public static bool Layerwise(ModelShape m, Workload w) => GraphBytes(m, w) > 4.0 * GiB;

    /// <summary>The engine's estimate of the whole autograd graph of one example (float32).</summary>
    public static double GraphBytes(ModelShape m, Workload w) =>
        (double)w.Tokens * m.Layers * (8.0 * m.Intermediate + 4.0 * m.Hidden) * 4;

    /// <summary>Peak resident bytes of a CPU gradient worker on one example (float32 weights).</summary>
    public static double GradientWorkerBytes(ModelShape m, Workload w)
    {
        var model = 4.0 * m.Parameters;
        var perLayerGraph = (double)w.Tokens * (8.0 * m.Intermediate + 4.0 * m.Hidden) * 4;
        var activations = Layerwise(m, w)
            ? (m.Layers + 1.0) * w.Tokens * m.Hidden * 4 + perLayerGraph
            : m.Layers * perLayerGraph;
        var logits = Math.Min(w.LossTokens, LossChunk) * (double)m.Vocab * 4;
        return RuntimeBytes + model + activations + logits;
    }

    /// <summary>Bytes one example takes in the store: Ĝ per tracked layer, token ids, loss mask, token losses, and the
    /// per-token factors when kept. The rendered text and metadata (a few bytes per token) are left out.</summary>
    public static double StoreBytesPerExample(ModelShape m, Workload w)
    {
        var tracked = 3.0 * m.Layers;
        var exampleGradient = tracked * w.K * w.K * w.StoreBytesPerValue;
        var tokens = w.Tokens * (4.0 + 1.0 + 4.0);
        var tokenFactors = w.TokenFactors ? w.Tokens * tracked * 2.0 * w.K * w.StoreBytesPerValue : 0;
        return exampleGradient + tokens + tokenFactors;
    }

    /// <summary>Bytes of one decoder layer's full-space EK-FAC factors (float64 eigenbases, gate/up sharing theirs, and Λ).</summary>
    public static double EkfacLayerBytes(ModelShape m)
    {
        double h = m.Hidden, i = m.Intermediate;
        var bases = (h * h + i * i) + (2 * i * i + h * h);
        var lambda = 3 * h * i;
        return 8 * (bases + lambda);
    }

    /// <summary>Eigendecompositions of one decoder layer's covariances: their sizes (inputs H and I, outputs I, I and H).</summary>
    public static IReadOnlyList<int> EkfacEigenSizes(ModelShape m) => [m.Hidden, m.Intermediate, m.Intermediate, m.Intermediate, m.Hidden];

    /// <summary>FLOPs per token of the EK-FAC accumulations beyond the gradient pass: covariances in phase 1, rotations and
    /// the rotated example gradient in phase 2 (float64).</summary>
    public static (double Covariance, double Correction) EkfacTokenFlops(ModelShape m)
    {
        double h = m.Hidden, i = m.Intermediate;
        var covariance = 2 * ((h * h + i * i) + (2 * i * i + h * h));
        var correction = 2 * ((h * h + i * i) + (2 * i * i + h * h) + 3 * h * i);
        return (m.Layers * covariance, m.Layers * correction);
    }
}
