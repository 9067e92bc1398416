using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Exact EK-FAC influence (the paper's quantity, stage 2 of two-stage scoring): each candidate's per-token factors are
/// recomputed in the full space (<c>a_t</c> = layer input, <c>g_t = dL/dy_t</c>, <c>L = Σ_t m_t CE_t</c>, loss scale 1)
/// and scored against full-space preconditioned queries <c>Q̃_{l,q}</c> (<see cref="QueryGradientEngine.ComputeFullSpace"/>):
/// token score <c>s_{t,q} = Σ_l g_tᵀ Q̃_{l,q} a_t</c>, example score <c>I_q = Σ_t s_{t,q} = Σ_l &lt;Q̃_{l,q}, Σ_t g_t a_tᵀ&gt;</c>.
/// Positive means up-weighting the candidate raises f (helpful). Products are taken in float64.
/// </summary>
/// <remarks>
/// Batched per layer as <c>(G_l Q̃_{l,q}) ⊙ A_l</c> summed over <c>d_in</c>: <c>[B, T, d_out] @ [d_out, d_in]</c> per query, so no
/// <c>d_out x d_in</c> gradient is formed per candidate. Padding rows of <c>G</c> are exactly zero, so a candidate scores the
/// same alone or in a batch. Without token scores the example scores take the cheaper route
/// <c>&lt;Q̃_{l,q}, G_lᵀ A_l&gt;</c>: one <c>d_out x d_in</c> gradient per candidate and layer, then one dot product per query
/// (<c>T·d_out·d_in + Q·d_out·d_in</c> instead of <c>Q·T·d_out·d_in</c> multiply-adds). The scorer does not own the query
/// tensors; give them as float64 on the model's device (another dtype is cast per batch). Layers are read once per batch
/// (in tracked order, or from the top down when the factors are recomputed layer by layer), so spooled queries (<see cref="SpooledQueryLayers"/>) keep one layer in memory: disk reads of the whole
/// query set per batch, in exchange for memory bounded by one layer's queries whatever the depth.
/// </remarks>
public sealed class ExactInfluenceScorer
{
    private readonly FactorComputer _computer;
    private readonly IReadOnlyList<Tensor> _queries;

    /// <param name="computer">Recomputes the candidates' factors.</param>
    /// <param name="queries">Per tracked layer, <c>Q̃_l</c> as <c>[Q, d_out, d_in]</c>, on the model's device.</param>
    public ExactInfluenceScorer(FactorComputer computer, IReadOnlyList<Tensor> queries)
    {
        ArgumentNullException.ThrowIfNull(computer);
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count != computer.Layers.Count)
            throw new ArgumentException($"query gradients cover {queries.Count} layers, {computer.Layers.Count} are tracked", nameof(queries));
        QueryCount = queries.Count == 0 ? 0 : (int)FullSpaceQueryGradients.ShapeOf(queries, 0)[0];
        for (var l = 0; l < queries.Count; l++)
        {
            var layer = computer.Layers[l];
            var shape = FullSpaceQueryGradients.ShapeOf(queries, l);
            if (shape.Length != 3 || shape[0] != QueryCount || shape[1] != layer.DOut || shape[2] != layer.DIn)
                throw new ArgumentException(
                    $"query gradients of layer '{layer.Name}' have shape [{string.Join(", ", shape)}], expected [{QueryCount}, {layer.DOut}, {layer.DIn}]",
                    nameof(queries));
        }
        if (QueryCount == 0) throw new ArgumentException("no queries", nameof(queries));
        _computer = computer;
        _queries = queries;
    }

    /// <summary>Number of queries (the columns of every score).</summary>
    public int QueryCount { get; }

    /// <summary>Scores one batch of candidates (one forward/backward pass), in batch order.</summary>
    /// <remarks>
    /// The candidates' factors are consumed one tracked layer at a time (<see cref="FactorComputer.RunByLayer"/>): each
    /// layer's part of the scores is formed in float64, its copies and the layer's factors freed, before the next layer is
    /// read, and the parts are added in layer order (0 to L-1) whatever order they were formed in, so the scores do not
    /// depend on the mode. Peak memory beyond the model: one tracked layer's float64 work (<c>8·B·T·(d_in + d_out)</c> bytes
    /// for the copies of <c>A</c> and <c>G</c>, plus <c>8·B·T·d_in</c> for one query's product with token scores, or
    /// <c>8·B·d_out·d_in</c> for the candidates' gradients without), one layer's queries, the parts
    /// (<c>8·B·T·Q</c> bytes per tracked layer with token scores, <c>8·B·Q</c> without), and the factor computation's own:
    /// for a batch recomputed layer by layer, one decoder layer's graph and factors and the hidden states; for a batch
    /// within <see cref="FactorComputer.ActivationBudgetBytes"/>, its whole graph and then every layer's factors, each
    /// layer's freed as it is scored.
    /// </remarks>
    /// <param name="batch">Tokenised candidates; the loss mask covers the response.</param>
    /// <param name="truncate">Cut over-long candidates instead of refusing them.</param>
    /// <param name="includeTokens">Return token scores too.</param>
    /// <exception cref="InvalidExampleException">A candidate is empty, too long (without truncation), or has no loss tokens.</exception>
    public IReadOnlyList<ExactScores> Score(IReadOnlyList<TokenizedExample> batch, bool truncate, bool includeTokens)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return [];
        var truncated = new bool[batch.Count];
        var prepared = batch.Select((e, i) => _computer.Prepare(e with { LossScale = 1f }, truncate, out truncated[i])).ToList();
        var lengths = prepared.Select(e => e.Ids.Length).ToArray();
        double[] scores; // [B, T, Q] with token scores, [B, Q] without
        long maxLength;
        var parts = new Tensor?[_queries.Count];
        try
        {
            // The token losses that come back are not part of the scores.
            _computer.RunByLayer(prepared, (l, a, g) =>
            {
                LayerScored?.Invoke(l, a, g);
                using var layerScope = NewDisposeScope();
                parts[l] = (includeTokens ? TokenContribution(l, a, g) : ExampleContribution(l, a, g)).DetachFromDisposeScope();
            }).Dispose();
            // Added in layer order whatever order the parts came in: the same sums, to the bit, in either mode.
            using var scope = NewDisposeScope();
            var total = parts[0] ?? throw new InvalidOperationException("the factor computation skipped layer 0");
            for (var l = 1; l < parts.Length; l++)
                total.add_(parts[l] ?? throw new InvalidOperationException($"the factor computation skipped layer {l}"));
            var host = total.cpu().contiguous();
            maxLength = includeTokens ? host.shape[1] : 0;
            scores = MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
        }
        finally
        {
            foreach (var part in parts) part?.Dispose();
        }

        var results = new ExactScores[prepared.Count];
        for (var b = 0; b < prepared.Count; b++)
        {
            if (!includeTokens)
            {
                results[b] = new ExactScores(prepared[b].Id, scores.AsSpan(b * QueryCount, QueryCount).ToArray(), null, lengths[b], truncated[b]);
                continue;
            }
            var length = lengths[b];
            var rows = scores.AsSpan((int)(b * maxLength * QueryCount), length * QueryCount);
            var example = new double[QueryCount];
            for (var t = 0; t < length; t++)
                for (var j = 0; j < QueryCount; j++)
                    example[j] += rows[t * QueryCount + j];
            results[b] = new ExactScores(prepared[b].Id, example, rows.ToArray(), length, truncated[b]);
        }
        return results;
    }

    /// <summary>Called with each tracked layer's fp32 factors (index, <c>A</c>, <c>G</c>) as the scorer takes them: what a test
    /// observes the memory bound through.</summary>
    internal Action<int, Tensor, Tensor>? LayerScored { get; init; }

    // Layer l's token scores [B, T, Q]: (G_l Q̃_{l,q}) ⊙ A_l summed over d_in, in float64. A scope per query frees its
    // [B, T, d_in] product as soon as it is summed.
    private Tensor TokenContribution(int l, Tensor input, Tensor outputGradient)
    {
        var g = outputGradient.to_type(ScalarType.Float64);
        var a = input.to_type(ScalarType.Float64);
        var q = _queries[l].to_type(ScalarType.Float64);
        var columns = new Tensor[QueryCount];
        for (var j = 0; j < QueryCount; j++)
        {
            using var queryScope = NewDisposeScope();
            columns[j] = g.matmul(q[j]).mul_(a).sum([-1L]).MoveToOuterDisposeScope();
        }
        return stack(columns, 2);
    }

    // Layer l's example scores [B, Q]: <Q̃_{l,q}, G_lᵀ A_l> in float64 (padding rows of G are zero).
    private Tensor ExampleContribution(int l, Tensor input, Tensor outputGradient)
    {
        var g = outputGradient.to_type(ScalarType.Float64);
        var a = input.to_type(ScalarType.Float64);
        var q = _queries[l].to_type(ScalarType.Float64);
        var gradient = g.transpose(1, 2).bmm(a).reshape(g.shape[0], -1);
        return gradient.matmul(q.reshape(QueryCount, -1).t());
    }
}
