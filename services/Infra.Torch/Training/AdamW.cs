using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Infra.Torch.Training;

/// <summary>
/// AdamW with decoupled weight decay, step for step the arithmetic of PyTorch's single-tensor
/// <c>torch.optim.AdamW</c>. Written out (rather than TorchSharp's optimizer) so that its moments can be
/// saved and restored by parameter name, which makes resuming a run exact.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly List<Slot> _slots;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;

    /// <summary>
    /// Optimises <paramref name="parameters"/>; <paramref name="weightDecay"/> applies to those <see cref="Decays"/> accepts.
    /// </summary>
    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        (_beta1, _beta2, _epsilon, _weightDecay) = (beta1, beta2, epsilon, weightDecay);
        _slots = [.. parameters.Select(p => new Slot(
            p.Name,
            p.Parameter,
            Decays(p.Name),
            zeros_like(p.Parameter).DetachFromDisposeScope(),
            zeros_like(p.Parameter).DetachFromDisposeScope()))];
    }

    /// <summary>Steps taken so far (PyTorch's <c>state["step"]</c>).</summary>
    public int StepCount { get; private set; }

    /// <summary>Whether weight decay applies: not to norm weights nor biases, as is usual for transformers.</summary>
    public static bool Decays(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return !name.EndsWith(".bias", StringComparison.Ordinal) && !name.EndsWith("norm.weight", StringComparison.Ordinal);
    }

    /// <summary>One update at learning rate <paramref name="learningRate"/> from the parameters' current gradients; parameters without a gradient are left alone.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(_beta1, StepCount);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, StepCount));
        var stepSize = learningRate / biasCorrection1;
        using var noGrad = no_grad();
        // Explicit Scalars, alive for the whole step: TorchSharp 0.107 leaves implicitly converted ones to a finalizer that
        // can free one while libtorch reads it (see RmsNorm).
        using var decay = (1 - learningRate * _weightDecay).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var correction2 = biasCorrection2Sqrt.ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var step = (-stepSize).ToScalar();
        foreach (var slot in _slots)
        {
            using var scope = NewDisposeScope();
            var grad = slot.Parameter.grad;
            if (grad is null) continue;
            if (slot.Decays && _weightDecay != 0) slot.Parameter.mul_(decay);
            slot.ExpAvg.lerp_(grad, 1 - _beta1); // lerp_ takes a Tensor weight (made in this scope, disposed with it)
            slot.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = slot.ExpAvgSq.sqrt().div_(correction2).add_(epsilon);
            slot.Parameter.addcdiv_(slot.ExpAvg, denominator, step);
        }
    }

    /// <summary>The moments as (name, shape, fp32 data): <c>exp_avg.{parameter}</c> and <c>exp_avg_sq.{parameter}</c>.</summary>
    public IEnumerable<(string Name, long[] Shape, float[] Data)> ExportState()
    {
        foreach (var slot in _slots)
        {
            yield return ("exp_avg." + slot.Name, slot.ExpAvg.shape, ToArray(slot.ExpAvg));
            yield return ("exp_avg_sq." + slot.Name, slot.ExpAvgSq.shape, ToArray(slot.ExpAvgSq));
        }
    }

    /// <summary>Restores the moments written by <see cref="ExportState"/> and the step count.</summary>
    public void LoadState(Func<string, float[]> read, int stepCount)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var noGrad = no_grad();
        foreach (var slot in _slots)
        {
            using var scope = NewDisposeScope();
            slot.ExpAvg.copy_(tensor(read("exp_avg." + slot.Name), slot.ExpAvg.shape).to(slot.ExpAvg.dtype).to(slot.ExpAvg.device));
            slot.ExpAvgSq.copy_(tensor(read("exp_avg_sq." + slot.Name), slot.ExpAvgSq.shape).to(slot.ExpAvgSq.dtype).to(slot.ExpAvgSq.device));
        }
        StepCount = stepCount;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
    }

    private static float[] ToArray(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    private sealed record Slot(string Name, Parameter Parameter, bool Decays, Tensor ExpAvg, Tensor ExpAvgSq);
}
