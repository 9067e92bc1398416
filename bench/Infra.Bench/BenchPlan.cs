namespace Infra.Bench;

/// <summary>
/// What is measured and how often. The full plan fits in about 8 minutes on 2 cores; <c>--quick</c>
/// keeps every measurement but shrinks it (1 Qwen-shaped layer, short sequences, few reps) to under a minute.
/// </summary>
internal sealed record BenchPlan(IReadOnlyList<ComputeScenario> Compute, IReadOnlyList<StreamScenario> Stream, Repetitions HostCopy)
{
    /// <summary>Decoder layers kept of Qwen2.5-0.5B's 24 in the full run (memory and time on 2 cores).</summary>
    public const int QwenLayers = 4;

    public static BenchPlan For(bool quick)
    {
        var qwenLayers = quick ? 1 : QwenLayers;
        var qwen = $"Qwen2.5-0.5B shape with {qwenLayers} of {BenchModels.Qwen05BLayers} decoder layers (full 151,936 vocab, tied head)";
        var tiny = "tiny Qwen2 (hidden 64, intermediate 128, 2 layers, vocab 259)";
        var seq = quick ? 64 : 256;
        // The full vocabulary makes even one layer costly; quick mode shortens the sequences instead.
        var qwenSeq = quick ? 32 : 256;
        ComputeScenario[] compute =
        [
            new("tiny", tiny, BenchModels.Tiny, 4, seq, quick ? new(1, 3) : new(2, 10), quick ? new(0, 2) : new(1, 5)),
            new("qwen05b_shape", qwen, BenchModels.Qwen05BShape(qwenLayers), 4, qwenSeq, quick ? new(1, 2) : new(1, 3), quick ? new(0, 1) : new(0, 2)),
        ];
        var streamReps = quick ? new Repetitions(1, 2) : new Repetitions(1, 3);
        StreamScenario[] stream =
        [
            new("stream", "hidden 256, intermediate 1024, 2 layers, MLP layers, identity projection, token factors, fp32",
                BenchModels.Small(hidden: 256, intermediate: 1024, layers: 2), Infra.Torch.Gradients.LayerSelection.DefaultPattern,
                quick ? 4 : 16, quick ? 256 : 512, 4, streamReps),
            new("stream_cheap", "cheap compute: hidden 64, intermediate 128, 4 layers, every linear layer (.*), identity projection, token factors, fp32",
                BenchModels.Small(hidden: 64, intermediate: 128, layers: 4), ".*",
                quick ? 4 : 8, quick ? 256 : 1024, 4, streamReps),
        ];
        var hostCopy = quick ? new Repetitions(1, 3) : new Repetitions(2, 10);
        return new BenchPlan(compute, stream, hostCopy);
    }
}
