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
/// tensors; give them as float64 on the model's device (another dtype is cast per batch). Layers are read in order, once
/// per batch, so spooled queries (<see cref="SpooledQueryLayers"/>) keep one layer in memory: disk reads of the whole
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
        using var factors = _computer.Run(prepared, truncated);
        if (!includeTokens) return ExampleScores(prepared, factors, truncated);
        double[] tokenScores;
        long maxLength;
        using (var scope = NewDisposeScope())
        {
            Tensor? total = null; // [B, T, Q]
            for (var l = 0; l < _queries.Count; l++)
            {
                // A scope per layer: its float64 copies and products are freed before the next layer's are made, and the
                // layer's factors once it is added; only the running total stays.
                using (var layerScope = NewDisposeScope())
                {
                    var perQuery = TokenContribution(l, factors.Inputs[l], factors.OutputGradients[l]);
                    total = total is null ? perQuery.MoveToOuterDisposeScope() : total.add_(perQuery);
                }
                factors.ReleaseLayer(l);
            }
            var host = total!.cpu().contiguous();
            maxLength = host.shape[1];
            tokenScores = MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
        }

        var results = new ExactScores[prepared.Count];
        for (var b = 0; b < prepared.Count; b++)
        {
            var length = factors.Lengths[b];
            var rows = tokenScores.AsSpan((int)(b * maxLength * QueryCount), length * QueryCount);
            var example = new double[QueryCount];
            for (var t = 0; t < length; t++)
                for (var j = 0; j < QueryCount; j++)
                    example[j] += rows[t * QueryCount + j];
            results[b] = new ExactScores(prepared[b].Id, example, includeTokens ? rows.ToArray() : null, length, truncated[b]);
        }
        return results;
    }

    // Example scores only: per layer G_lᵀ A_l ([B, d_out, d_in], padding rows of G are zero) against every query at once.
    private List<ExactScores> ExampleScores(List<TokenizedExample> prepared, BatchFactors factors, bool[] truncated)
    {
        double[] scores;
        using (var scope = NewDisposeScope())
        {
            Tensor? total = null; // [B, Q]
            for (var l = 0; l < _queries.Count; l++)
            {
                using (var layerScope = NewDisposeScope())
                {
                    var perQuery = ExampleContribution(l, factors.Inputs[l], factors.OutputGradients[l]);
                    total = total is null ? perQuery.MoveToOuterDisposeScope() : total.add_(perQuery);
                }
                factors.ReleaseLayer(l);
            }
            scores = MemoryMarshal.Cast<byte, double>(total!.cpu().contiguous().bytes).ToArray();
        }
        return prepared.Select((e, b) => new ExactScores(e.Id, scores.AsSpan(b * QueryCount, QueryCount).ToArray(), null, factors.Lengths[b], truncated[b])).ToList();
    }

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
