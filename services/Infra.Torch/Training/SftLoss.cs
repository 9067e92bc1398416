using TorchSharp;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Training;

/// <summary>The weighted response loss of a micro-batch, right-padded into one forward pass.</summary>
public static class SftLoss
{
    /// <summary>
    /// <c>sum_i w_i sum_t m_it CE_it / normaliser</c>: token t is predicted from position t-1 and counts when its
    /// mask entry is set. Padding (id 0, after each example) carries no loss, and causal attention keeps it out
    /// of the real tokens, so an example's loss does not depend on what it is batched with.
    /// Returns a scalar fp32 tensor in the graph, and the number of real tokens.
    /// </summary>
    public static (Tensor Loss, long Tokens) Compute(Qwen2ForCausalLM model, IReadOnlyList<SftExample> batch, double normaliser)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var b = batch.Count;
        var t = batch.Max(e => e.Ids.Length);
        var ids = new long[b * t];
        var weights = new float[b * (t - 1)];
        for (var i = 0; i < b; i++)
        {
            var e = batch[i];
            for (var j = 0; j < e.Ids.Length; j++) ids[i * t + j] = e.Ids[j];
            for (var j = 1; j < e.Ids.Length; j++) weights[i * (t - 1) + j - 1] = e.LossMask[j] != 0 ? e.Weight : 0f;
        }
        var tokens = batch.Sum(e => (long)e.Ids.Length);
        var device = model.Device;
        var idTensor = tensor(ids, [b, t]).to(device);
        var logits = model.call(idTensor);
        var vocab = logits.shape[2];
        var predicted = logits.narrow(1, 0, t - 1).to_type(ScalarType.Float32).reshape(-1, vocab);
        var targets = idTensor.narrow(1, 1, t - 1).reshape(-1);
        var ce = nn.functional.cross_entropy(predicted, targets, reduction: nn.Reduction.None);
        using var divisor = normaliser.ToScalar(); // explicit, alive through the call (see RmsNorm)
        var loss = (ce * tensor(weights).to(device)).sum().div(divisor);
        return (loss, tokens);
    }
}
