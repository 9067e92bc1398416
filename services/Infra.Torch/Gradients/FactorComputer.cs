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

    /// <summary>Computes the exact factors of a batch of prepared examples.</summary>
    public BatchFactors Run(IReadOnlyList<TokenizedExample> batch, bool[]? truncated = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) throw new ArgumentException("empty batch", nameof(batch));
        using var scope = NewDisposeScope();
        {
            var lengths = batch.Select(e => e.Ids.Length).ToArray();
            var b = batch.Count;
            var t = lengths.Max();
            var ids = new long[b * t];
            var mask = new float[b * t];
            var scales = new float[b];
            for (var i = 0; i < b; i++)
            {
                for (var j = 0; j < lengths[i]; j++)
                {
                    ids[i * t + j] = batch[i].Ids[j];
                    mask[i * t + j] = batch[i].LossMask[j] != 0 ? 1f : 0f;
                }
                scales[i] = batch[i].LossScale;
            }

            var device = _model.Device;
            var idTensor = tensor(ids, [b, t]).to(device);
            var maskTensor = tensor(mask, [b, t]).to(device);
            var capture = new LinearCapture(_names);
            _model.Capture.Active = capture;
            Tensor logits;
            try
            {
                logits = _model.call(idTensor);
            }
            finally
            {
                _model.Capture.Active = null;
            }

            Tensor tokenLosses;
            if (t > 1)
            {
                var vocab = logits.shape[2];
                var predicted = logits.narrow(1, 0, t - 1).to_type(ScalarType.Float32).reshape(-1, vocab);
                var targets = idTensor.narrow(1, 1, t - 1).reshape(-1);
                var ce = nn.functional.cross_entropy(predicted, targets, reduction: nn.Reduction.None).view(b, t - 1);
                tokenLosses = cat([zeros(b, 1, device: device), ce * maskTensor.narrow(1, 1, t - 1)], 1);
            }
            else
            {
                tokenLosses = zeros(b, 1, device: device);
            }
            var loss = (tokenLosses.sum([1L]) * tensor(scales).to(device)).sum();

            var records = Layers.Select(l => capture.Get(l.Name)).ToList();
            var gradients = autograd.grad([loss], records.Select(r => r.Output).ToList());
            // The results outlive this scope; BatchFactors disposes them.
            var inputs = records.Select(r => Keep(r.Input)).ToList();
            var outputGradients = gradients.Select(Keep).ToList();
            return new BatchFactors(batch, lengths, truncated ?? new bool[b], Keep(tokenLosses), inputs, outputGradients);
        }
    }

    private static Tensor Keep(Tensor t) =>
        t.detach().to_type(ScalarType.Float32).contiguous().DetachFromDisposeScope();
}
