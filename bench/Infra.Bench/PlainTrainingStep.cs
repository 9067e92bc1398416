using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// The reference cost: forward + the same masked loss + <c>loss.backward()</c>, which forms every
/// weight gradient (lm_head/embedding included). Gradients are dropped after each step so every
/// rep allocates and writes them afresh, as a training step after <c>zero_grad()</c> does.
/// </summary>
internal static class PlainTrainingStep
{
    public static void Run(Qwen2ForCausalLM model, DeviceBatch batch) => Timed(model, batch);

    /// <summary>One step, returning (forward + loss, backward) seconds.</summary>
    public static (double Forward, double Backward) Timed(Qwen2ForCausalLM model, DeviceBatch batch)
    {
        using var scope = NewDisposeScope();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var loss = MaskedLoss.Sum(model.call(batch.Ids), batch);
        var forward = clock.Elapsed.TotalSeconds;
        loss.backward();
        var backward = clock.Elapsed.TotalSeconds - forward;
        model.zero_grad();
        return (forward, backward);
    }
}
