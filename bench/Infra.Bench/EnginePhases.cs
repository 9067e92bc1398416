using System.Diagnostics;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// The steps of <see cref="GradientEngine.Compute"/> re-run one by one with a clock between them, to
/// show where its time goes: forward with capture + loss, <c>autograd.grad</c> at the tracked layer
/// outputs, projection (<c>â</c>, <c>ĝ</c>, <c>Ĝ = ĝ^T â</c>), and the copy of the results to
/// managed arrays. CPU libtorch runs eagerly, so each clock reading covers its own step.
/// </summary>
internal sealed class EnginePhases(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, Projector projector, bool includeExampleGradient = true)
{
    private readonly HashSet<string> _names = layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);

    public static readonly string[] Names = ["forward", "autograd_grad", "projection", "host_copy"];

    /// <summary>Seconds of each of <see cref="Names"/>, in that order.</summary>
    public double[] Run(DeviceBatch batch)
    {
        using var scope = NewDisposeScope();
        var seconds = new double[Names.Length];
        var clock = Stopwatch.StartNew();

        var capture = new LinearCapture(_names);
        model.Capture.Active = capture;
        Tensor loss;
        try
        {
            loss = MaskedLoss.Sum(model.call(batch.Ids), batch);
        }
        finally
        {
            model.Capture.Active = null;
        }
        seconds[0] = Lap(clock);

        var records = layers.Select(l => capture.Get(l.Name)).ToList();
        var gradients = autograd.grad([loss], records.Select(r => r.Output).ToList());
        seconds[1] = Lap(clock);

        var projected = new List<Tensor>();
        for (var l = 0; l < layers.Count; l++)
        {
            var a = projector.ProjectInput(l, records[l].Input.detach());
            var g = projector.ProjectOutput(l, gradients[l]);
            projected.Add(a);
            projected.Add(g);
            if (includeExampleGradient) projected.Add(g.transpose(1, 2).bmm(a));
        }
        seconds[2] = Lap(clock);

        foreach (var p in projected)
        {
            var host = p.contiguous().cpu();
            for (var i = 0; i < host.shape[0]; i++)
                _ = host[i].contiguous().data<float>().ToArray();
        }
        seconds[3] = Lap(clock);
        return seconds;
    }

    private static double Lap(Stopwatch clock)
    {
        var s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
