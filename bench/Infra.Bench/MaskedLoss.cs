using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// The loss <see cref="Infra.Torch.Gradients.FactorComputer"/> differentiates, written out for the baseline and the phase
/// timing: summed cross-entropy of predicting token t+1, masked to the response.
/// </summary>
internal static class MaskedLoss
{
    public static Tensor Sum(Tensor logits, DeviceBatch batch)
    {
        var (b, t, vocab) = (logits.shape[0], logits.shape[1], logits.shape[2]);
        var predicted = logits.narrow(1, 0, t - 1).to_type(ScalarType.Float32).reshape(-1, vocab);
        var targets = batch.Ids.narrow(1, 1, t - 1).reshape(-1);
        var ce = nn.functional.cross_entropy(predicted, targets, reduction: nn.Reduction.None).view(b, t - 1);
        return (ce * batch.Mask.narrow(1, 1, t - 1)).sum();
    }
}
