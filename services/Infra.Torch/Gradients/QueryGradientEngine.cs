using Infra.Torch.Ekfac;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Gradients of the measurement for query problems (prompt + correct answer): the loss of query q is
/// <c>−f_q</c>, so its weight gradient is the example gradient of the answer tokens scaled by
/// <c>1/n_q</c> (mean) or 1 (sum). With full-space EK-FAC factors, each layer's gradient is
/// preconditioned in the full <c>d_out x d_in</c> space and then projected.
/// </summary>
public sealed class QueryGradientEngine
{
    private readonly FactorComputer _computer;
    private readonly Projector _projector;

    public QueryGradientEngine(FactorComputer computer, Projector projector)
    {
        _computer = computer ?? throw new ArgumentNullException(nameof(computer));
        _projector = projector ?? throw new ArgumentNullException(nameof(projector));
    }

    /// <summary>
    /// Per-query (or, when <paramref name="aggregate"/>, one mean) projected gradients of <c>−f</c>.
    /// </summary>
    /// <param name="queries">Tokenised queries; the loss mask covers the answer.</param>
    /// <param name="reduction">Mean (default) or summed log-likelihood.</param>
    /// <param name="aggregate">Return the gradient of the mean of f over the set.</param>
    /// <param name="factors">
    /// Full-space EK-FAC factors per tracked layer, or null. Read in layer order and used before the next layer is read,
    /// once per batch, so a <see cref="EkfacStreamedFactors"/> holds one layer at a time (at the cost of reading every
    /// layer again for each batch).
    /// </param>
    /// <param name="damping">&lt;= 0: 0.1 x mean(Λ) per layer.</param>
    /// <param name="batchSize">Queries per forward/backward batch.</param>
    /// <param name="truncate">Cut over-long queries instead of refusing them.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public IReadOnlyList<QueryGradient> Compute(IReadOnlyList<TokenizedExample> queries, MeasurementReduction reduction,
        bool aggregate, IReadOnlyList<EkfacLayerFactors>? factors = null, double damping = 0, int batchSize = 8, bool truncate = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0) throw new ArgumentException("no queries", nameof(queries));
        if (factors is not null && factors.Count != _computer.Layers.Count)
            throw new ArgumentException($"factors cover {factors.Count} layers, {_computer.Layers.Count} are tracked");
        var layers = _computer.Layers.Count;
        var results = new List<QueryGradient>();
        Tensor?[] sums = new Tensor?[layers];
        double measurementSum = 0;
        try
        {
            foreach (var chunk in queries.Chunk(Math.Max(1, batchSize)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prepared = chunk.Select(q => Scaled(_computer.Prepare(q, truncate, out _), reduction, aggregate ? queries.Count : 1)).ToList();
                using var batch = _computer.Run(prepared);
                using var scope = NewDisposeScope();
                var f = Measurements(batch.TokenLosses, batch.Examples, reduction);
                var perLayer = new Tensor[layers];
                for (var l = 0; l < layers; l++)
                    perLayer[l] = PerQueryGradients(batch, l, factors?[l], damping);
                if (aggregate)
                {
                    for (var l = 0; l < layers; l++)
                    {
                        var s = perLayer[l].sum([0L]);
                        if (sums[l] is null) sums[l] = s.DetachFromDisposeScope();
                        else sums[l]!.add_(s);
                    }
                    measurementSum += f.Sum();
                    continue;
                }
                for (var i = 0; i < prepared.Count; i++)
                {
                    var grads = perLayer.Select(t => HostCopy.ToFloatArray(t[i])).ToList();
                    results.Add(new QueryGradient(prepared[i].Id, (float)f[i], factors is not null, grads));
                }
            }
            if (aggregate)
            {
                var grads = sums.Select(t => HostCopy.ToFloatArray(t!)).ToList();
                results.Add(new QueryGradient("", (float)(measurementSum / queries.Count), factors is not null, grads));
            }
            return results;
        }
        finally
        {
            foreach (var t in sums) t?.Dispose();
        }
    }

    /// <summary>
    /// Per-query gradients of <c>−f</c> in the full space, float64, kept on the model's device and never projected
    /// (the projector is not used): <c>Q = ∇_W(−f_q)</c>, preconditioned as <c>Q̃</c> when <paramref name="factors"/> are
    /// given. The queries of exact influence; the caller disposes the result.
    /// </summary>
    /// <remarks>
    /// Each batch's factors are consumed one tracked layer at a time (<see cref="FactorComputer.RunByLayer"/>), so beyond the
    /// result (or one layer's rows, spooled) a batch holds one layer's float64 work and, when recomputed layer by layer,
    /// one decoder layer's factors, not every layer's.
    /// </remarks>
    /// <param name="queries">Tokenised queries; the loss mask covers the answer.</param>
    /// <param name="reduction">Mean (default) or summed log-likelihood.</param>
    /// <param name="factors">
    /// Full-space EK-FAC factors per tracked layer, or null (no preconditioning); each layer read once per batch as its
    /// factors are formed (in layer order, or from the top down when the batch is recomputed layer by layer), so a
    /// <see cref="EkfacStreamedFactors"/> holds one layer at a time.
    /// </param>
    /// <param name="damping">&lt;= 0: 0.1 x mean(Λ) per layer.</param>
    /// <param name="batchSize">Queries per forward/backward batch.</param>
    /// <param name="truncate">Cut over-long queries instead of refusing them.</param>
    /// <param name="memoryBudgetBytes">
    /// Most bytes the queries may take in memory (<see cref="FullSpaceBytes"/>); above it they are written to disk as
    /// they are formed and read back one layer at a time (<see cref="SpooledQueryLayers"/>). Defaults to no limit.
    /// </param>
    /// <param name="spoolFolder">Where spooled queries go; null: the system's temp folder.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public FullSpaceQueryGradients ComputeFullSpace(IReadOnlyList<TokenizedExample> queries, MeasurementReduction reduction,
        IReadOnlyList<EkfacLayerFactors>? factors = null, double damping = 0, int batchSize = 8, bool truncate = false,
        long memoryBudgetBytes = long.MaxValue, string? spoolFolder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0) throw new ArgumentException("no queries", nameof(queries));
        if (factors is not null && factors.Count != _computer.Layers.Count)
            throw new ArgumentException($"factors cover {factors.Count} layers, {_computer.Layers.Count} are tracked");
        var layers = _computer.Layers.Count;
        var parts = Enumerable.Range(0, layers).Select(_ => new List<Tensor>()).ToArray();
        var measurements = new List<double>();
        var spool = FullSpaceBytes(queries.Count) > memoryBudgetBytes ? new SpooledQueryLayers(layers, _computer.Model.Device, spoolFolder) : null;
        try
        {
            foreach (var chunk in queries.Chunk(Math.Max(1, batchSize)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prepared = chunk.Select(q => Scaled(_computer.Prepare(q, truncate, out _), reduction, 1)).ToList();
                // Each layer's factors as they are formed (one decoder layer's at a time when the batch is recomputed layer by
                // layer), each layer's float64 work in a scope of its own: a spooled layer's gradients are freed before the next
                // layer's are formed, not at the end of the batch, which would hold the batch's queries over every layer at
                // once, the very thing the spool is there to avoid. Layers may come from the top down; each layer's file or list
                // still gets the batches in order, so the result does not depend on it.
                using var tokenLosses = _computer.RunByLayer(prepared, (l, a, g) =>
                {
                    var layerFactors = factors?[l];
                    using var scope = NewDisposeScope();
                    // Σ_t g_t a_tᵀ in float64: the fp32 factors are exact inputs, their product loses nothing more.
                    var full = g.to_type(ScalarType.Float64).transpose(1, 2).bmm(a.to_type(ScalarType.Float64));
                    if (layerFactors is { } f)
                        full = stack(Enumerable.Range(0, (int)full.shape[0]).Select(i => f.Precondition(full[i], damping)).ToList());
                    if (spool is not null) spool.Append(l, full);
                    else parts[l].Add(full.DetachFromDisposeScope());
                });
                using (var scope = NewDisposeScope())
                    measurements.AddRange(Measurements(tokenLosses, prepared, reduction));
            }
            var damped = factors?.Select(f => f.EffectiveDamping(damping)).ToList();
            if (spool is not null)
                return new FullSpaceQueryGradients(queries.Select(q => q.Id).ToList(), measurements, damped, spool);
            var result = parts.Select(p => p.Count == 1 ? p[0] : cat(p, 0).DetachFromDisposeScope()).ToList();
            foreach (var p in parts.Where(p => p.Count > 1)) foreach (var t in p) t.Dispose();
            return new FullSpaceQueryGradients(queries.Select(q => q.Id).ToList(), measurements, damped, result);
        }
        catch
        {
            spool?.Dispose();
            foreach (var t in parts.SelectMany(p => p)) t.Dispose();
            throw;
        }
    }

    /// <summary>Bytes of <paramref name="queries"/> full-space float64 query gradients over every tracked layer: <c>8 · Q · Σ d_out · d_in</c>.</summary>
    public long FullSpaceBytes(int queries) => 8L * queries * _computer.Layers.Sum(l => (long)l.DOut * l.DIn);

    // The loss scale that makes the example's loss −f (1/n for the mean over n answer tokens), divided by the set size for an aggregate.
    private static TokenizedExample Scaled(TokenizedExample q, MeasurementReduction reduction, int setSize)
    {
        var n = q.LossMask.Skip(1).Count(m => m != 0);
        var scale = reduction == MeasurementReduction.Mean ? 1f / n : 1f;
        return q with { LossScale = scale * (1f / setSize) };
    }

    // [B, k_out, k_in] projected gradients of the scaled query losses.
    private Tensor PerQueryGradients(BatchFactors batch, int layer, EkfacLayerFactors? factors, double damping)
    {
        var a = batch.Inputs[layer];
        var g = batch.OutputGradients[layer];
        if (factors is null)
        {
            // P_out (gᵀa) P_inᵀ = (P_out gᵀ)(a P_inᵀ): project first, it is cheaper.
            return _projector.ProjectOutput(layer, g).transpose(1, 2).bmm(_projector.ProjectInput(layer, a));
        }
        var full = g.transpose(1, 2).bmm(a);
        var projected = new Tensor[full.shape[0]];
        for (var i = 0; i < projected.Length; i++)
            projected[i] = _projector.ProjectWeightGradient(layer, factors.Precondition(full[i], damping));
        return stack(projected);
    }

    // f per query: −(sum of answer-token losses), divided by n for the mean.
    private static double[] Measurements(Tensor tokenLosses, IReadOnlyList<TokenizedExample> examples, MeasurementReduction reduction)
    {
        var losses = HostCopy.ToFloatArray(tokenLosses.sum([1L]));
        return losses.Select((loss, i) =>
        {
            var n = examples[i].LossMask.Skip(1).Count(m => m != 0);
            return reduction == MeasurementReduction.Mean ? -loss / (double)n : -loss;
        }).ToArray();
    }
}
