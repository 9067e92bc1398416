using System.Diagnostics;
using Infra.Bench.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Bench.Scale;

/// <summary>
/// The rates that turn the cost model's counts into time, measured in the same run as the points they are checked
/// against (so that load from other work on these cores hits both alike), or assumed for hardware not here.
/// </summary>
/// <param name="GemmFlops">libtorch float32 matrix-multiply FLOP/s at an MLP shape of the model (<c>[1024, H] x [H, I]</c>).</param>
/// <param name="AttentionFlops">Causal scaled-dot-product attention, forward and backward, at the model's heads and 2,048
/// tokens, in the FLOPs <see cref="CostModel.Gradient"/> counts for it.</param>
/// <param name="HeadFlops">The engine's head and cross-entropy at 1,024 loss positions (<c>ResponseLoss</c>), in the FLOPs
/// counted for it (<c>4 H V</c> per position).</param>
/// <param name="EighSecondsPerCube">Seconds of a float64 symmetric eigendecomposition per <c>d³</c>, timed at d = 2,048.</param>
/// <param name="ReadBytesPerSecond">Streaming read of a 1 GiB buffer with every core (the stage-1 scan's limit).</param>
internal sealed record MachineRates(double GemmFlops, double AttentionFlops, double HeadFlops, double EighSecondsPerCube, double ReadBytesPerSecond)
{
    /// <summary>
    /// The indexing engine's effective rate on one H200 for <paramref name="shape"/>: the cost model's FLOPs of a gradient pass
    /// (<see cref="CostModel.Gradient"/>, no recomputation) over the time measured by <c>bench device-rate</c> (bf16, MLP layers
    /// at k = 64, 2,048-token examples, TorchSharp 0.107 over PyTorch 2.11's CUDA 13 libtorch; bench/results/device-rate-h200.md).
    /// Smaller models keep the GPU less busy: 0.5B's hidden size of 896 makes small matrix products.
    /// </summary>
    public static double GpuFlops(ModelShape shape) => shape.Name switch
    {
        "0.5B" => 142e12,
        "1.5B" => 238e12,
        "7B" => 374e12,
        _ => throw new ArgumentException($"no GPU rate measured for shape '{shape.Name}'", nameof(shape)),
    };

    /// <summary>NVMe sequential read assumed for a shard whose store does not fit in RAM: 3 GB/s.</summary>
    public const double DiskBytesPerSecond = 3e9;

    /// <summary>Measures the rates here at <paramref name="shape"/>'s dimensions (about 20 s; the streaming read, which
    /// needs a 1 GiB buffer, only when <paramref name="streamingRead"/>, else it is 0).</summary>
    public static MachineRates Measure(ModelShape shape, int reps = 5, bool streamingRead = true)
    {
        torch.set_num_threads(Environment.ProcessorCount);
        using var scope = NewDisposeScope();
        var a = randn(1024, shape.Hidden);
        var b = randn(shape.Hidden, shape.Intermediate);
        var gemm = Median(reps, () => a.mm(b).Dispose());
        var flops = 2.0 * 1024 * shape.Hidden * shape.Intermediate / gemm;

        const int t = 2048;
        var q = randn(1, shape.Heads, t, shape.HeadDim).requires_grad_(true);
        var k = randn(1, shape.Heads, t, shape.HeadDim).requires_grad_(true);
        var v = randn(1, shape.Heads, t, shape.HeadDim).requires_grad_(true);
        var attention = Median(3, () =>
        {
            using var inner = NewDisposeScope();
            var o = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
            autograd.grad([o], [q, k, v], [ones_like(o)]);
        });
        var attentionFlops = 2.0 * t * t * shape.Heads * shape.HeadDim * 3 / attention;

        const int rows = 1024;
        var normed = randn(rows, shape.Hidden);
        var weight = randn(shape.Vocab, shape.Hidden).mul_(0.02);
        var targets = randint(shape.Vocab, [rows], dtype: ScalarType.Int64);
        var weights = ones(rows);
        var head = Median(3, () =>
        {
            using var inner = NewDisposeScope();
            Infra.Torch.Gradients.ResponseLoss.Compute(normed, weight, targets, weights);
        });
        var headFlops = 4.0 * shape.Hidden * shape.Vocab * rows / head;

        // Timed at 2,048: a smaller eigendecomposition runs below the rate of the large ones (latency, not FLOPs, bound).
        const int d = 2048;
        var x = randn(d, d, dtype: ScalarType.Float64);
        var spd = x.mm(x.t()).add_(eye(d, dtype: ScalarType.Float64));
        var eigh = Median(3, () => { var (values, vectors) = linalg.eigh(spd); values.Dispose(); vectors.Dispose(); });

        return new MachineRates(flops, attentionFlops, headFlops, eigh / ((double)d * d * d), streamingRead ? StreamingRead(reps) : 0);
    }

    private static unsafe double StreamingRead(int reps)
    {
        using var buffer = new NativeBuffer(1L << 30);
        RandomFill.Floats(buffer.As<float>(), buffer.Bytes / sizeof(float), 3); // touched pages: an untouched one reads as the zero page
        return MachineLimits.StreamingReadGBs(buffer, Environment.ProcessorCount, reps) * 1e9;
    }

    /// <summary>Median wall seconds of <paramref name="action"/> after one warm-up.</summary>
    public static double Median(int reps, Action action)
    {
        action();
        var seconds = new double[reps];
        for (var r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            action();
            seconds[r] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        return seconds[reps / 2];
    }
}
