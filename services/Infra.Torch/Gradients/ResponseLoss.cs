using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// The cross-entropy of predicting each loss token and the gradient of the weighted loss
/// <c>L = Σ_r w_r CE_r</c> with respect to the final-normed hidden states <c>h_r</c> it was predicted from, given only
/// those rows: logits are formed at the loss positions alone, <see cref="DefaultChunk"/> rows at a time, and no
/// autograd graph is kept for them.
/// </summary>
/// <remarks>
/// Why by hand rather than through autograd: with <c>z = h Wᵀ</c>, <c>dL/dz_r = w_r (softmax(z_r) − onehot(y_r))</c> and
/// <c>dL/dh = (dL/dz) W</c>, so one <c>[rows, vocab]</c> buffer serves the logits, the softmax and their gradient in
/// place, and is freed before the next chunk. Autograd would keep the float32 log-softmax of every position for the
/// backward pass and form two more buffers of that size in it; at a 151,936-token vocabulary that is 0.6 GB per
/// 1,024 positions each, and 8k-token responses would not fit. The arithmetic is autograd's
/// (<c>log_softmax</c> then NLL; the logits cast to float32 as <c>FactorComputer</c> always did), so the results agree to
/// float rounding.
/// </remarks>
public static class ResponseLoss
{
    /// <summary>Loss rows whose logits are formed at once: 1,024 rows of a 151,936-token vocabulary are a 0.6 GB float32 buffer.</summary>
    public const int DefaultChunk = 1024;

    /// <summary>
    /// Per row the unweighted cross-entropy <c>[rows]</c> (float32) and <c>dL/dh</c> <c>[rows, hidden]</c> (the dtype of
    /// <paramref name="headWeight"/>), for hidden states <paramref name="normed"/> <c>[rows, hidden]</c> after the final norm.
    /// </summary>
    /// <param name="normed">Final-normed hidden states at the positions that predict a loss token (read, not differentiated).</param>
    /// <param name="headWeight">The head's weight <c>[vocab, hidden]</c>.</param>
    /// <param name="targets">The token each row predicts, <c>[rows]</c> int64.</param>
    /// <param name="weights">Each row's weight <c>w_r</c> in the loss (the example's loss scale), <c>[rows]</c> float32.</param>
    /// <param name="chunk">Rows per chunk. Defaults to <see cref="DefaultChunk"/>.</param>
    public static (Tensor Losses, Tensor HiddenGradient) Compute(Tensor normed, Tensor headWeight, Tensor targets, Tensor weights,
        int chunk = DefaultChunk)
    {
        ArgumentNullException.ThrowIfNull(normed);
        ArgumentNullException.ThrowIfNull(headWeight);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        var rows = normed.shape[0];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var losses = new List<Tensor>();
        var gradients = new List<Tensor>();
        for (long start = 0; start < rows; start += chunk)
        {
            var length = Math.Min(chunk, rows - start);
            var (loss, gradient) = Chunk(normed.narrow(0, start, length), headWeight,
                targets.narrow(0, start, length).unsqueeze(1), weights.narrow(0, start, length).unsqueeze(1));
            losses.Add(loss);
            gradients.Add(gradient);
        }
        var allLosses = losses.Count == 1 ? losses[0] : cat(losses, 0);
        var allGradients = gradients.Count == 1 ? gradients[0] : cat(gradients, 0);
        return (allLosses.MoveToOuterDisposeScope(), allGradients.MoveToOuterDisposeScope());
    }

    private static (Tensor Loss, Tensor Gradient) Chunk(Tensor h, Tensor weight, Tensor target, Tensor w)
    {
        using var scope = NewDisposeScope();
        // Float32 as the previous full-logits path took them: a no-op for a float32 model, a copy for bf16.
        var z = nn.functional.linear(h, weight).to_type(ScalarType.Float32);
        var picked = z.gather(1, target);
        var max = z.amax([1L], keepdim: true);
        var p = z.sub_(max).exp_(); // z is no longer needed: the softmax's numerator takes its place
        var sum = p.sum([1L], keepdim: true);
        var loss = sum.log().add_(max).sub_(picked).squeeze(1); // log Σ exp z − z_y
        p.mul_(w.div(sum));                                      // w · softmax(z)
        p.scatter_add_(1, target, w.neg());                      // − w at the target
        var gradient = p.to_type(weight.dtype).mm(weight);
        return (loss.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }
}
