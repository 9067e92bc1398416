using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Infra.Bench;

/// <summary>
/// How fast a CPU tensor reaches a managed <c>float[]</c>: <c>data&lt;float&gt;().ToArray()</c> (what
/// <see cref="Infra.Torch.Gradients.GradientEngine"/> uses per example) against a span copy of
/// <c>Tensor.bytes</c>. The gap is part of the engine's host-copy phase.
/// </summary>
internal static class HostCopyProbe
{
    public static IReadOnlyList<BenchResult> Run(Repetitions repetitions, int rows, int cols)
    {
        using var scope = NewDisposeScope();
        var source = randn(4, rows, cols);
        var bytes = 4.0 * rows * cols * sizeof(float);
        var timings = Sampler.Interleaved(repetitions,
            () =>
            {
                for (var i = 0; i < 4; i++) _ = source[i].contiguous().data<float>().ToArray();
            },
            () =>
            {
                for (var i = 0; i < 4; i++)
                {
                    var row = source[i].contiguous();
                    var copy = new float[row.numel()];
                    MemoryMarshal.Cast<byte, float>(row.bytes).CopyTo(copy);
                }
            });
        var what = $"4 x [{rows}, {cols}] fp32";
        return
        [
            BenchResult.Rate("host_copy.accessor_to_array_gb_s", bytes / 1e9, "GB/s", timings[0], $"data<float>().ToArray(), {what}"),
            BenchResult.Rate("host_copy.span_copy_gb_s", bytes / 1e9, "GB/s", timings[1], $"MemoryMarshal.Cast(Tensor.bytes).CopyTo, {what}"),
        ];
    }
}
