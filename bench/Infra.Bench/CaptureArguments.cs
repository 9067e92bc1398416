using System.Globalization;

namespace Infra.Bench;

/// <summary>
/// Options of <c>capture</c> and <c>long</c>: the Qwen2.5-0.5B shape with <see cref="Layers"/> decoder layers,
/// <see cref="Batch"/> examples of <see cref="Length"/> tokens.
/// </summary>
/// <param name="Layers">Decoder layers kept of 24. Defaults to 4.</param>
/// <param name="Batch">Examples per batch. Defaults to 4 (capture) or 1 (long).</param>
/// <param name="Length">Tokens per example. Defaults to 256 (capture) or 8,192 (long).</param>
/// <param name="Reps">Timed repetitions after one warm-up. Defaults to 5 (capture) or 1 (long, no warm-up).</param>
/// <param name="Peer">The PyTorch peer script to interleave (capture only), run by <see cref="Python"/>; null: none.</param>
/// <param name="Python">The interpreter with torch. Defaults to /usr/bin/python3 (Debian's, where python3-torch installs).</param>
/// <param name="OutputFolder">Where the JSON and Markdown reports go. Defaults to bench/results.</param>
/// <param name="Device">Torch device of the engine and the peer (capture only): "cpu" (the default), "cuda" or "auto".</param>
/// <param name="DType">Weights and activations of both: "float32" (the default) or "bfloat16".</param>
internal sealed record CaptureArguments(int Layers, int Batch, int Length, int Reps, string? Peer, string Python, string OutputFolder,
    string Device = "cpu", string DType = "float32")
{
    public const string Usage = "usage: Infra.Bench capture [--layers 4] [--batch 4] [--length 256] [--reps 5] [--peer bench/peers/capture_peer.py] [--python /usr/bin/python3] [--device cpu|cuda] [--dtype float32|bfloat16] [--out bench/results]\n" +
        "       Infra.Bench long [--layers 4] [--length 8192] [--reps 1] [--out bench/results]";

    public static CaptureArguments CaptureDefaults { get; } = new(4, 4, 256, 5, null, "/usr/bin/python3", BenchArguments.DefaultOutputFolder);

    public static CaptureArguments LongDefaults { get; } = new(4, 1, 8192, 1, null, "/usr/bin/python3", BenchArguments.DefaultOutputFolder);

    public static bool TryParse(string[] args, CaptureArguments defaults, out CaptureArguments arguments, out string error)
    {
        arguments = defaults;
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            int? number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--layers" when number is { } layers: arguments = arguments with { Layers = layers }; break;
                case "--batch" when number is { } batch: arguments = arguments with { Batch = batch }; break;
                case "--length" when number is { } length && length > 1: arguments = arguments with { Length = length }; break;
                case "--reps" when number is { } reps: arguments = arguments with { Reps = reps }; break;
                case "--peer" when value is not null: arguments = arguments with { Peer = value }; break;
                case "--python" when value is not null: arguments = arguments with { Python = value }; break;
                case "--out" when value is not null: arguments = arguments with { OutputFolder = value }; break;
                case "--device" when value is not null: arguments = arguments with { Device = value }; break;
                case "--dtype" when value is "float32" or "bfloat16": arguments = arguments with { DType = value }; break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'";
                    return false;
            }
            i++;
        }
        return true;
    }
}
