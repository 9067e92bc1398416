using static TorchSharp.torch;

namespace Infra.Torch.Runtime;

/// <summary>
/// libtorch's random generator is process-wide: code that seeds it and then draws must not interleave
/// with another thread doing the same, or "the same seed" gives different numbers. Every such use goes
/// through <see cref="Run{T}"/>.
/// </summary>
public static class GlobalSeed
{
    private static readonly Lock Gate = new();

    /// <summary>Seeds libtorch with <paramref name="seed"/> and runs <paramref name="draw"/>, exclusively.</summary>
    public static T Run<T>(long seed, Func<T> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        lock (Gate)
        {
            manual_seed(seed);
            return draw();
        }
    }
}
