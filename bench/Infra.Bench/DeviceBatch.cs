using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// A batch of equal-length examples as tensors: ids <c>[B, T]</c> (int64), loss mask <c>[B, T]</c> (fp32), and the
/// <see cref="LossRows"/> the engine forms its logits at (flat positions, targets, weights).
/// </summary>
internal sealed class DeviceBatch : IDisposable
{
    private DeviceBatch(Tensor ids, Tensor mask, LossRows rows, Device device)
    {
        Ids = ids;
        Mask = mask;
        LossPositions = tensor(rows.Positions).to(device).DetachFromDisposeScope();
        LossTargets = tensor(rows.Targets).to(device).DetachFromDisposeScope();
        LossWeights = tensor(rows.Weights).to(device).DetachFromDisposeScope();
    }

    public Tensor Ids { get; }

    public Tensor Mask { get; }

    public Tensor LossPositions { get; }

    public Tensor LossTargets { get; }

    public Tensor LossWeights { get; }

    public static DeviceBatch From(IReadOnlyList<TokenizedExample> batch, Device device)
    {
        var b = batch.Count;
        var t = batch[0].Ids.Length;
        if (batch.Any(e => e.Ids.Length != t)) throw new ArgumentException("the baseline needs equal lengths (no padding)", nameof(batch));
        var ids = batch.SelectMany(e => e.Ids.Select(i => (long)i)).ToArray();
        var mask = batch.SelectMany(e => e.LossMask.Select(m => m != 0 ? 1f : 0f)).ToArray();
        return new DeviceBatch(
            tensor(ids, [b, t]).to(device).DetachFromDisposeScope(),
            tensor(mask, [b, t]).to(device).DetachFromDisposeScope(),
            LossRows.Of(batch, t), device);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Mask.Dispose();
        LossPositions.Dispose();
        LossTargets.Dispose();
        LossWeights.Dispose();
    }
}
