using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Runs the forward pass of a batch with the tracked layers recorded, takes the response loss
/// <c>L_b = sum_t m_t CE_t</c> of every example, and gets <c>g_t = dL/dy_t</c> for every tracked
/// layer by one <c>autograd.grad</c> call at the recorded outputs (no weight gradients are formed).
/// </summary>
/// <remarks>
/// Batches are right-padded. With causal attention a real token never attends to the padding
/// after it, and padding carries no loss, so an example's factors are the same alone or in a batch.
/// </remarks>
public sealed class FactorComputer
{
    private readonly Qwen2ForCausalLM _model;
    private readonly HashSet<string> _names;

    /// <param name="model">The model.</param>
    /// <param name="layers">Tracked layers.</param>
    /// <param name="maxLength">Longest sequence accepted. Defaults to the model's max_position_embeddings.</param>
    public FactorComputer(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        _model = model;
        Layers = layers;
        _names = layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        MaxLength = maxLength ?? model.Config.MaxPositionEmbeddings;
    }

    /// <summary>The tracked layers.</summary>
    public IReadOnlyList<TrackedLayer> Layers { get; }

    /// <summary>The model.</summary>
    public Qwen2ForCausalLM Model => _model;

    /// <summary>Longest accepted sequence, in tokens.</summary>
    public int MaxLength { get; }

    /// <summary>Checks an example and applies truncation.</summary>
    /// <exception cref="InvalidExampleException">Empty, mask length mismatch, id out of range, too long (without truncation), or no loss tokens.</exception>
    public TokenizedExample Prepare(TokenizedExample example, bool truncate, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(example);
        var id = string.IsNullOrEmpty(example.Id) ? "(no id)" : example.Id;
        if (example.Ids.Length == 0)
            throw new InvalidExampleException(id, "has no tokens");
        if (example.LossMask.Length != example.Ids.Length)
            throw new InvalidExampleException(id, $"loss mask has {example.LossMask.Length} entries for {example.Ids.Length} tokens");
        var vocab = _model.Config.VocabSize;
        for (var i = 0; i < example.Ids.Length; i++)
        {
            if (example.Ids[i] < 0 || example.Ids[i] >= vocab)
                throw new InvalidExampleException(id, $"token id {example.Ids[i]} at position {i} is out of range [0, {vocab})");
        }
        truncated = false;
        if (example.Ids.Length > MaxLength)
        {
            if (!truncate)
                throw new InvalidExampleException(id, $"is too long: {example.Ids.Length} tokens, the limit is {MaxLength} (enable truncation to cut the tail)");
            example = example with { Ids = example.Ids[..MaxLength], LossMask = example.LossMask[..MaxLength] };
            truncated = true;
        }
        // Position 0 predicts nothing: only mask entries from position 1 on carry loss.
        if (!example.LossMask.AsSpan(1).ContainsAnyExcept((byte)0))
            throw new InvalidExampleException(id, truncated
                ? "has no response tokens left after truncation"
                : "has an empty response (no loss tokens after the first position)");
        return example;
    }

    /// <summary>
    /// Loss positions whose logits are formed at once (<see cref="ResponseLoss"/>). Defaults to
    /// <see cref="ResponseLoss.DefaultChunk"/> (1,024: a 0.6 GB float32 buffer at a 151,936-token vocabulary).
    /// </summary>
    public int LossChunk { get; init; } = ResponseLoss.DefaultChunk;

    /// <summary>Computes the exact factors of a batch of prepared examples.</summary>
    /// <remarks>
    /// The final norm, the head and the cross-entropy are formed only at the positions that predict a loss token
    /// (the response, not the prompt or the padding): they get the same values there as the full forward pass, and the
    /// other positions' logits never reach the loss, so the factors are those of the full computation.
    /// </remarks>
    public BatchFactors Run(IReadOnlyList<TokenizedExample> batch, bool[]? truncated = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) throw new ArgumentException("empty batch", nameof(batch));
        var lengths = batch.Select(e => e.Ids.Length).ToArray();
        if (RecomputesLayerwise(batch))
            return RunLayerwise(batch, lengths, truncated);
        using var scope = NewDisposeScope();
        var device = _model.Device;
        var (b, t, idTensor) = PaddedIds(batch, device);
        var capture = new LinearCapture(_names);
        _model.Capture.Active = capture;
        Tensor hidden;
        try
        {
            hidden = _model.DecoderOutput(idTensor);
        }
        finally
        {
            _model.Capture.Active = null;
        }

        var rows = LossRows.Of(batch, t);
        var records = Layers.Select(l => capture.Get(l.Name)).ToList();
        var tokenLosses = zeros(b * t, device: device);
        IList<Tensor> gradients;
        if (rows.Count == 0)
        {
            gradients = records.Select(r => zeros_like(r.Output)).ToList();
        }
        else
        {
            var positions = tensor(rows.Positions).to(device);
            // Position p predicts token p + 1: its hidden state is the one the loss needs.
            var normed = _model.FinalNorm(hidden.reshape(b * t, -1).index_select(0, positions));
            var (losses, hiddenGradient) = ResponseLoss.Compute(normed, _model.HeadWeight,
                tensor(rows.Targets).to(device), tensor(rows.Weights).to(device), LossChunk);
            gradients = autograd.grad([normed], records.Select(r => r.Output).ToList(), [hiddenGradient]);
            tokenLosses.index_copy_(0, tensor(rows.Predicted).to(device), losses);
        }
        LayersFormed += Layers.Count;
        // The results outlive this scope; BatchFactors disposes them.
        var inputs = records.Select(r => Keep(r.Input)).ToList();
        var outputGradients = gradients.Select(Keep).ToList();
        return new BatchFactors(batch, lengths, truncated ?? new bool[b], Keep(tokenLosses.view(b, t)), inputs, outputGradients);
    }

    /// <summary>
    /// The most memory the autograd graph of one batch may be estimated to take before <see cref="Run"/> recomputes the
    /// forward pass layer by layer during the backward sweep instead of keeping the whole graph (same factors, one more
    /// forward pass, one layer's graph alive at a time). Defaults to 4 GiB; 0 always recomputes.
    /// </summary>
    public long ActivationBudgetBytes { get; init; } = DefaultActivationBudgetBytes;

    /// <summary>The default <see cref="ActivationBudgetBytes"/>: 4 GiB.</summary>
    public const long DefaultActivationBudgetBytes = 4L << 30;

    /// <summary>
    /// The estimated bytes of the whole autograd graph of a batch: padded tokens × decoder layers from the lowest tracked
    /// one up × (8 intermediate + 4 hidden values per token and layer) × 4 bytes (8 in float64). Measured at Qwen2.5-0.5B's
    /// dimensions (8,192 tokens, float32): 1.32 GiB per layer, where this gives 1.30. A bfloat16 or float16 model is counted
    /// at 4 bytes a value too: its graph keeps float32 intermediates (the norms' and the loss's upcasts, autograd buffers),
    /// and on an H200 in bfloat16 it took 0.87-0.94 of the float32 figure (7B at 2,048 and 4,096 tokens, 0.5B at 8,192;
    /// nvidia-smi's peak less the weights), where 2 bytes a value under-estimated it 1.8x and let a 7B 8k-token example run
    /// the card out of memory under a 96 GiB budget instead of recomputing layer by layer.
    /// </summary>
    public long EstimatedGraphBytes(IReadOnlyList<TokenizedExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return 0;
        var tokens = (long)batch.Count * batch.Max(e => e.Ids.Length);
        var lowest = Layers.Select(l => LayerwiseSweep.DecoderLayerOf(l) ?? 0).DefaultIfEmpty(0).Min();
        var config = _model.Config;
        var perToken = 8L * config.IntermediateSize + 4L * config.HiddenSize;
        var elementSize = _model.DType == ScalarType.Float64 ? 8 : 4;
        return tokens * (config.NumHiddenLayers - lowest) * perToken * elementSize;
    }

    /// <summary>Whether <see cref="Run"/> takes the layer-by-layer sweep for this batch (its graph is estimated over
    /// <see cref="ActivationBudgetBytes"/> and every tracked layer is inside a decoder layer).</summary>
    public bool RecomputesLayerwise(IReadOnlyList<TokenizedExample> batch) =>
        Layers.All(l => LayerwiseSweep.DecoderLayerOf(l) is not null) && EstimatedGraphBytes(batch) > ActivationBudgetBytes;

    /// <summary>
    /// The factors of a batch of prepared examples, layer by layer from the top, each handed to <paramref name="sink"/>
    /// (tracked-layer index, <c>A [B, T, d_in]</c>, <c>G [B, T, d_out]</c>, fp32 on the model's device, valid only during
    /// the call) as soon as it is formed, with one decoder layer's autograd graph alive at a time: what a caller that
    /// reduces each layer at once (projection) uses so that memory does not grow with depth.
    /// </summary>
    /// <returns>The token losses <c>[B, T]</c> as in <see cref="BatchFactors.TokenLosses"/>; the caller disposes them.</returns>
    public Tensor Sweep(IReadOnlyList<TokenizedExample> batch, Action<int, Tensor, Tensor> sink)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sink);
        if (batch.Count == 0) throw new ArgumentException("empty batch", nameof(batch));
        return LayerwiseSweep.Run(_model, Layers, batch, LossChunk, (k, a, g) =>
        {
            LayersFormed++;
            sink(k, a, g);
        });
    }

    /// <summary>Tracked layers' factors formed so far, over every batch (one per layer and batch): with what a caller has
    /// consumed, what a test tells the factors alive at a time by.</summary>
    internal long LayersFormed { get; private set; }

    /// <summary>
    /// The factors of a batch of prepared examples, as <see cref="Run"/> computes them, handed to <paramref name="sink"/> one
    /// tracked layer at a time (tracked-layer index, <c>A [B, T, d_in]</c>, <c>G [B, T, d_out]</c>, fp32 on the model's
    /// device, valid only during the call and freed after it): for a caller that reduces each layer at once and must not
    /// hold every layer's factors.
    /// </summary>
    /// <remarks>
    /// What is alive at once besides the caller's own: when the batch is recomputed layer by layer
    /// (<see cref="RecomputesLayerwise"/>), the layers come from the top decoder layer down as <see cref="Sweep"/> forms
    /// them, and at most one decoder layer's factors (its tracked layers'), one decoder layer's graph and the hidden states
    /// are alive; otherwise the one graph yields every layer's factors at once (all <c>g_t</c> come from one
    /// <c>autograd.grad</c>, a batch whose whole graph is within <see cref="ActivationBudgetBytes"/>), they come in tracked
    /// order, and each layer's are freed as its call returns. The order thus depends on the mode: a caller whose result
    /// depends on it (a floating-point sum) keeps each layer's part and combines them in an order of its own.
    /// </remarks>
    /// <returns>The token losses <c>[B, T]</c> as in <see cref="BatchFactors.TokenLosses"/>; the caller disposes them.</returns>
    public Tensor RunByLayer(IReadOnlyList<TokenizedExample> batch, Action<int, Tensor, Tensor> sink)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sink);
        if (RecomputesLayerwise(batch)) return Sweep(batch, sink);
        using var factors = Run(batch);
        for (var l = 0; l < Layers.Count; l++)
        {
            sink(l, factors.Inputs[l], factors.OutputGradients[l]);
            factors.ReleaseLayer(l);
        }
        // A second handle on the losses' storage: the batch's own goes with it.
        return factors.TokenLosses.alias().DetachFromDisposeScope();
    }

    private BatchFactors RunLayerwise(IReadOnlyList<TokenizedExample> batch, int[] lengths, bool[]? truncated)
    {
        var inputs = new Tensor[Layers.Count];
        var outputGradients = new Tensor[Layers.Count];
        var tokenLosses = LayerwiseSweep.Run(_model, Layers, batch, LossChunk, (k, a, g) =>
        {
            LayersFormed++;
            inputs[k] = a.clone().DetachFromDisposeScope();
            outputGradients[k] = g.clone().DetachFromDisposeScope();
        });
        return new BatchFactors(batch, lengths, truncated ?? new bool[batch.Count], tokenLosses, inputs, outputGradients);
    }

    /// <summary>Token ids <c>[B, T]</c> right-padded with 0 to the longest example, on <paramref name="device"/>.</summary>
    internal static (int B, int T, Tensor Ids) PaddedIds(IReadOnlyList<TokenizedExample> batch, Device device)
    {
        var b = batch.Count;
        var t = batch.Max(e => e.Ids.Length);
        var ids = new long[b * t];
        for (var i = 0; i < b; i++)
            for (var j = 0; j < batch[i].Ids.Length; j++)
                ids[i * t + j] = batch[i].Ids[j];
        return (b, t, tensor(ids, [b, t]).to(device));
    }

    private static Tensor Keep(Tensor t) =>
        t.detach().to_type(ScalarType.Float32).contiguous().DetachFromDisposeScope();
}
