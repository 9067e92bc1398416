using System.Diagnostics;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// The steps of <see cref="GradientEngine.Compute"/> re-run one by one with a clock between them, to show where its time
/// goes: the decoder stack with capture, the final norm + head + cross-entropy (at the loss positions with its gradient,
/// as <see cref="FactorComputer"/> does; or, with <paramref name="fullLogits"/>, at every position as the engine did before
/// issue 14, the reference its speed-up is measured against), <c>autograd.grad</c> at the tracked layer outputs,
/// projection (<c>â</c>, <c>ĝ</c>, <c>Ĝ = ĝ^T â</c>), and the copy of the results to managed arrays. CPU libtorch runs
/// eagerly, so each clock reading covers its own step.
/// </summary>
internal sealed class EnginePhases(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, Projector projector,
    bool includeExampleGradient = true, bool fullLogits = false)
{
    private readonly HashSet<string> _names = layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);

    public static readonly string[] Names = ["forward", "head_and_loss", "autograd_grad", "projection", "host_copy"];

    /// <summary>Seconds of each of <see cref="Names"/>, in that order.</summary>
    public double[] Run(DeviceBatch batch)
    {
        using var scope = NewDisposeScope();
        var seconds = new double[Names.Length];
        var clock = Stopwatch.StartNew();

        var capture = new LinearCapture(_names);
        model.Capture.Active = capture;
        Tensor hidden;
        try
        {
            hidden = model.DecoderOutput(batch.Ids);
        }
        finally
        {
            model.Capture.Active = null;
        }
        seconds[0] = Lap(clock);

        var outputs = layers.Select(l => capture.Get(l.Name).Output).ToList();
        Func<IList<Tensor>> gradient;
        if (fullLogits)
        {
            var loss = MaskedLoss.Sum(nn.functional.linear(model.FinalNorm(hidden), model.HeadWeight), batch);
            gradient = () => autograd.grad([loss], outputs);
        }
        else
        {
            var normed = model.FinalNorm(hidden.reshape(-1, hidden.shape[2]).index_select(0, batch.LossPositions));
            var (_, hiddenGradient) = ResponseLoss.Compute(normed, model.HeadWeight, batch.LossTargets, batch.LossWeights);
            gradient = () => autograd.grad([normed], outputs, [hiddenGradient]);
        }
        seconds[1] = Lap(clock);

        var gradients = gradient();
        seconds[2] = Lap(clock);

        var projected = new List<Tensor>();
        for (var l = 0; l < layers.Count; l++)
        {
            // In float32, as FactorComputer hands the factors to the projector whatever the compute dtype.
            var a = projector.ProjectInput(l, capture.Get(layers[l].Name).Input.detach().to_type(ScalarType.Float32));
            var g = projector.ProjectOutput(l, gradients[l].to_type(ScalarType.Float32));
            projected.Add(a);
            projected.Add(g);
            if (includeExampleGradient) projected.Add(g.transpose(1, 2).bmm(a));
        }
        seconds[3] = Lap(clock);

        // As the engine copies: the whole batch at once through the byte span.
        foreach (var p in projected)
            _ = HostCopy.ToFloatArray(p);
        seconds[4] = Lap(clock);
        return seconds;
    }

    private static double Lap(Stopwatch clock)
    {
        var s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
